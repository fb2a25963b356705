using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cairn.Api.Json;

/// <summary>
/// Protobuf messages in Mesos' JSON form (stout's <c>protobuf.hpp</c>): proto field names
/// (snake_case), enums by name, 64-bit integers as JSON numbers, bytes as base64, non-finite
/// doubles as strings. Protobuf's own <see cref="JsonFormatter"/> prints 64-bit integers as
/// strings, which Mesos clients do not expect, so formatting walks the descriptors itself.
/// </summary>
public static class MesosJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Parses Mesos JSON (also the camelCase JSON names protobuf uses; unknown fields ignored).</summary>
    /// <returns>The message, or an error text suitable for a 400 answer.</returns>
    public static bool TryParse<T>(string json, out T message, out string error)
        where T : IMessage<T>, new()
    {
        try
        {
            message = Parser.Parse<T>(json);
            error = string.Empty;
            return true;
        }
        catch (InvalidProtocolBufferException e)
        {
            message = new T();
            error = e.Message;
            return false;
        }
        catch (InvalidJsonException e)
        {
            message = new T();
            error = e.Message;
            return false;
        }
        catch (FormatException e)
        {
            message = new T();
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses Mesos JSON, throwing <see cref="InvalidProtocolBufferException"/> or
    /// <see cref="InvalidJsonException"/> on bad input.</summary>
    public static T Parse<T>(string json)
        where T : IMessage<T>, new() => Parser.Parse<T>(json);

    /// <summary>Formats <paramref name="message"/> as UTF-8 JSON.</summary>
    public static byte[] FormatUtf8(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Formats <paramref name="message"/> as a JSON string.</summary>
    public static string Format(IMessage message) => System.Text.Encoding.UTF8.GetString(FormatUtf8(message));

    /// <summary>Writes <paramref name="message"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                if (map.Count == 0)
                {
                    continue;
                }

                var valueField = field.MessageType.FindFieldByNumber(2);
                writer.WritePropertyName(field.Name);
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(writer, valueField, entry.Value);
                }

                writer.WriteEndObject();
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count == 0)
                {
                    continue;
                }

                writer.WritePropertyName(field.Name);
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, field, item);
                }

                writer.WriteEndArray();
            }
            else
            {
                if (!HasValue(message, field, value))
                {
                    continue;
                }

                writer.WritePropertyName(field.Name);
                WriteValue(writer, field, value);
            }
        }

        writer.WriteEndObject();
    }

    private static bool HasValue(IMessage message, FieldDescriptor field, object? value)
    {
        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        // proto3 scalars without presence: default values are omitted, as protobuf does.
        return value switch
        {
            null => false,
            string s => s.Length != 0,
            ByteString b => !b.IsEmpty,
            bool b => b,
            int i => i != 0,
            long l => l != 0,
            uint u => u != 0,
            ulong u => u != 0,
            double d => d != 0,
            float f => f != 0,
            _ => true,
        };
    }

    private static void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, object? value)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
            case FieldType.Group:
                if (value is IMessage nested)
                {
                    Write(writer, nested);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                var name = field.EnumType.FindValueByNumber(number)?.Name;
                if (name is null)
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(name);
                }

                break;
            case FieldType.Bytes:
                writer.WriteBase64StringValue(((ByteString)value!).Span);
                break;
            case FieldType.String:
                writer.WriteStringValue((string)value!);
                break;
            case FieldType.Bool:
                writer.WriteBooleanValue((bool)value!);
                break;
            case FieldType.Double:
                WriteDouble(writer, (double)value!);
                break;
            case FieldType.Float:
                WriteDouble(writer, (float)value!);
                break;
            case FieldType.Int64:
            case FieldType.SInt64:
            case FieldType.SFixed64:
                writer.WriteNumberValue((long)value!);
                break;
            case FieldType.UInt64:
            case FieldType.Fixed64:
                writer.WriteNumberValue((ulong)value!);
                break;
            case FieldType.UInt32:
            case FieldType.Fixed32:
                writer.WriteNumberValue((uint)value!);
                break;
            default:
                writer.WriteNumberValue((int)value!);
                break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteStringValue("-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}

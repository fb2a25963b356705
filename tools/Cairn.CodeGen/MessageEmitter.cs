using System.Text;

namespace Cairn.CodeGen;

/// <summary>Emits one message class (with its nested struct classes) as C# source.</summary>
internal sealed class MessageEmitter
{
    public const string Namespace = "Cairn.Kafka.Protocol.Messages";

    private readonly MessageSpec _spec;
    private readonly VersionRange _scope;
    private readonly Dictionary<string, StructDef> _structs = new(StringComparer.Ordinal);
    private readonly StringBuilder _sb = new();
    private int _indent;

    public MessageEmitter(MessageSpec spec)
    {
        _spec = spec;
        _scope = spec.ValidVersions;
        foreach (var s in spec.CommonStructs)
        {
            AddStruct(s.Name, s.Fields!);
        }

        CollectStructs(spec.Fields);
        var taken = new HashSet<string>(StringComparer.Ordinal) { spec.Name, "Read", "Write", "HasOnlyDefaults", "UnknownTaggedFields" };
        foreach (var f in spec.Fields)
        {
            taken.Add(f.Name);
        }

        foreach (var s in _structs.Values)
        {
            var name = s.Name;
            while (taken.Contains(name) || s.Fields.Any(f => f.Name == name))
            {
                name += "Data";
            }

            s.ClassName = name;
            taken.Add(name);
        }
    }

    public sealed class StructDef(string name, List<FieldSpec> fields)
    {
        public string Name { get; } = name;
        public List<FieldSpec> Fields { get; } = fields;
        public string ClassName { get; set; } = name;
    }

    public MessageSpec Spec => _spec;

    public IEnumerable<StructDef> Structs => _structs.Values;

    private void AddStruct(string name, List<FieldSpec> fields)
    {
        if (_structs.TryGetValue(name, out var existing))
        {
            if (existing.Fields.Count != fields.Count)
            {
                throw new InvalidOperationException($"{_spec.Name}: struct {name} defined twice differently");
            }

            return;
        }

        _structs[name] = new StructDef(name, fields);
        CollectStructs(fields);
    }

    private void CollectStructs(List<FieldSpec> fields)
    {
        foreach (var f in fields)
        {
            if (f.Fields is not null)
            {
                AddStruct(f.ElementType, f.Fields);
            }
        }
    }

    public string StructClass(string schemaType) =>
        _structs.TryGetValue(schemaType, out var s)
            ? $"global::{Namespace}.{_spec.Name}.{s.ClassName}"
            : throw new InvalidOperationException($"{_spec.Name}: unknown struct type {schemaType}");

    public string ElementCsType(string t) => TypeModel.IsPrimitive(t) ? TypeModel.Scalar(t) : StructClass(t);

    public string PropertyType(FieldSpec f)
    {
        var q = f.IsNullableAnywhere ? "?" : "";
        if (f.IsArray) return $"global::System.Collections.Generic.List<{ElementCsType(f.ElementType)}>{q}";
        if (!TypeModel.IsPrimitive(f.Type)) return StructClass(f.Type) + q;
        return f.Type switch
        {
            "string" or "bytes" or "records" => TypeModel.Scalar(f.Type) + q,
            _ => TypeModel.Scalar(f.Type),
        };
    }

    private string? Initializer(FieldSpec f)
    {
        if (f.IsArray || !TypeModel.IsPrimitive(f.Type))
        {
            return f.Default == "null" && f.IsNullableAnywhere ? null : "new()";
        }

        if (f.Type == "records")
        {
            return f.IsNullableAnywhere ? null : null;
        }

        if (f.Type is "string" or "bytes" && f.Default == "null" && !f.IsNullableAnywhere)
        {
            return f.Type == "string" ? "\"\"" : "[]";
        }

        return TypeModel.ScalarDefault(f);
    }

    /// <summary>C# boolean expression: true when the field holds something other than its default.</summary>
    public string NonDefault(FieldSpec f, string p)
    {
        if (f.IsArray)
        {
            return f.Default == "null" && f.IsNullableAnywhere ? $"{p} is not null" : $"{p} is not {{ Count: 0 }}";
        }

        if (!TypeModel.IsPrimitive(f.Type))
        {
            return f.Default == "null" && f.IsNullableAnywhere ? $"{p} is not null" : $"({p} is not null && !{p}.HasOnlyDefaults())";
        }

        switch (f.Type)
        {
            case "string":
                return f.Default == "null" && f.IsNullableAnywhere
                    ? $"{p} is not null"
                    : $"!string.Equals({p}, {TypeModel.Literal(f.Default == "null" ? "" : f.Default ?? "")}, global::System.StringComparison.Ordinal)";
            case "bytes":
                return f.Default == "null" && f.IsNullableAnywhere ? $"{p} is not null" : $"{p} is not {{ Length: 0 }}";
            case "records":
                return f.IsNullableAnywhere ? $"{p} is not null" : $"!{p}.IsEmpty";
            case "uuid":
                return $"{p} != global::System.Guid.Empty";
            case "bool":
                return $"{p} != {TypeModel.ScalarDefault(f) ?? "false"}";
            default:
                return $"{p} != {TypeModel.ScalarDefault(f) ?? "0"}";
        }
    }

    private void L(string line = "")
    {
        if (line.Length == 0)
        {
            _sb.AppendLine();
            return;
        }

        _sb.Append(' ', _indent * 4).AppendLine(line);
    }

    private void Open(string line)
    {
        if (line.Length > 0)
        {
            L(line);
        }

        L("{");
        _indent++;
    }

    private void Close(string suffix = "")
    {
        _indent--;
        L("}" + suffix);
    }

    private static string Xml(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public string Emit()
    {
        L("// <auto-generated>");
        L($"// Generated by tools/Cairn.CodeGen from Kafka's {_spec.Name}.json. Do not edit; run tools/generate-kafka-messages.sh.");
        L("// </auto-generated>");
        L("#nullable enable");
        L();
        L($"namespace {Namespace};");
        L();
        L($"/// <summary>Kafka {_spec.Kind} <c>{_spec.Name}</c>, versions {_spec.ValidVersions}, flexible {_spec.FlexibleVersions}.</summary>");
        Open($"public sealed partial class {_spec.Name} : global::Cairn.Kafka.Protocol.IKafkaMessage");
        L($"public const short LowestSupportedVersion = {_spec.ValidVersions.Min};");
        L($"public const short HighestSupportedVersion = {_spec.ValidVersions.Max};");
        if (_spec.ApiKey is { } key)
        {
            L($"public const global::Cairn.Kafka.Protocol.ApiKey MessageApiKey = (global::Cairn.Kafka.Protocol.ApiKey){key};");
        }

        L();
        L("short global::Cairn.Kafka.Protocol.IKafkaMessage.LowestVersion => LowestSupportedVersion;");
        L("short global::Cairn.Kafka.Protocol.IKafkaMessage.HighestVersion => HighestSupportedVersion;");
        L();
        EmitBody(_spec.Fields, _spec.Name, topLevel: true);
        foreach (var s in _structs.Values)
        {
            L();
            L($"/// <summary>Struct <c>{s.Name}</c> of <c>{_spec.Name}</c>.</summary>");
            Open($"public sealed partial class {s.ClassName}");
            EmitBody(s.Fields, s.ClassName, topLevel: false);
            Close();
        }

        Close();
        return _sb.ToString();
    }

    private void EmitBody(List<FieldSpec> fields, string className, bool topLevel)
    {
        foreach (var f in fields)
        {
            L($"/// <summary>{Xml(f.About)} (versions {f.Versions}{(f.IsTagged ? $", tag {f.Tag}" : "")}{(f.IsNullableAnywhere ? $", nullable {f.NullableVersions}" : "")})</summary>");
            var init = Initializer(f);
            L($"public {PropertyType(f)} {f.Name} {{ get; set; }}{(init is null ? "" : $" = {init};")}");
            L();
        }

        L("/// <summary>Tagged fields this version of the schema does not know, preserved verbatim.</summary>");
        L("public global::System.Collections.Generic.List<global::Cairn.Kafka.Protocol.RawTaggedField>? UnknownTaggedFields { get; set; }");
        L();
        EmitIsDefault(fields);
        L();
        EmitRead(fields, className, topLevel);
        L();
        EmitWrite(fields, className, topLevel);
    }

    private void EmitIsDefault(List<FieldSpec> fields)
    {
        L("/// <summary>True when every field holds its schema default (used to omit tagged struct fields).</summary>");
        Open("public bool HasOnlyDefaults()");
        foreach (var f in fields)
        {
            L($"if ({NonDefault(f, f.Name)}) return false;");
        }

        L("return UnknownTaggedFields is not { Count: > 0 };");
        Close();
    }

    private string FlexibleDecl => _spec.FlexibleVersions.Condition(_scope);

    private bool HasFlexible => !_spec.FlexibleVersions.Intersect(_scope).IsEmpty;

    private string CompactExpr(FieldSpec f, bool inTagged)
    {
        if (inTagged) return "true";
        if (!HasFlexible) return "false";
        if (f.FlexibleVersions is { } fv)
        {
            var c = fv.Condition(_scope);
            return c == "false" ? "false" : c == "true" ? "flexible" : $"(flexible && {c})";
        }

        return "flexible";
    }

    private string NullableExpr(FieldSpec f) => f.NullableVersions.Condition(_scope);

    private void EmitVersionCheck(string className, bool topLevel)
    {
        if (!topLevel) return;
        Open("if (version < LowestSupportedVersion || version > HighestSupportedVersion)");
        L($"throw new global::Cairn.Kafka.Protocol.KafkaProtocolException($\"{className} does not support version {{version}}.\");");
        Close();
    }

    private void EmitRead(List<FieldSpec> fields, string className, bool topLevel)
    {
        L("/// <summary>Reads this object's fields for <paramref name=\"version\"/>.</summary>");
        Open("public void Read(ref global::Cairn.Kafka.Protocol.KafkaReader reader, short version)");
        EmitVersionCheck(className, topLevel);
        if (HasFlexible)
        {
            L($"var flexible = {FlexibleDecl};");
        }

        foreach (var f in fields)
        {
            if (f.IsTagged) continue;
            var cond = f.Versions.Condition(_scope);
            if (cond == "false") continue;
            if (cond != "true") Open($"if ({cond})");
            else Open("");
            EmitReadValue(f, f.Name, CompactExpr(f, false), NullableExpr(f));
            Close();
        }

        var tagged = fields.Where(f => f.IsTagged).OrderBy(f => f.Tag).ToList();
        if (HasFlexible)
        {
            Open("if (flexible)");
            L("var taggedCount = reader.ReadTaggedFieldCount();");
            Open("for (var t = 0; t < taggedCount; t++)");
            L("var tag = reader.ReadUnsignedVarInt();");
            L("var size = reader.ReadTaggedFieldSize();");
            if (tagged.Count > 0)
            {
                L("var start = reader.Position;");
            }

            Open("switch (tag)");
            foreach (var f in tagged)
            {
                var cond = f.TaggedVersions.Intersect(f.Versions).Condition(_scope);
                if (cond == "false") continue;
                Open($"case {f.Tag}{(cond == "true" ? "" : $" when {cond}")}:");
                EmitReadValue(f, f.Name, "true", NullableExpr(f));
                L("reader.EnsureConsumed(start, size, tag);");
                L("break;");
                Close();
            }

            Open("default:");
            L("(UnknownTaggedFields ??= new()).Add(new global::Cairn.Kafka.Protocol.RawTaggedField(tag, reader.ReadRawSpan(size).ToArray()));");
            L("break;");
            Close();
            Close();
            Close();
            Close();
        }

        Close();
    }

    private void EmitReadValue(FieldSpec f, string target, string compact, string nullable)
    {
        if (f.IsArray)
        {
            var elem = ElementCsType(f.ElementType);
            L($"var count = reader.ReadArrayLength({compact}, {nullable});");
            if (f.IsNullableAnywhere)
            {
                Open("if (count < 0)");
                L($"{target} = null;");
                Close();
                Open("else");
            }
            else
            {
                Open("");
            }

            L($"var list = new global::System.Collections.Generic.List<{elem}>(count);");
            Open("for (var i = 0; i < count; i++)");
            if (TypeModel.IsPrimitive(f.ElementType))
            {
                L($"list.Add({ReadScalar(f.ElementType, compact, "false", nullableType: false)});");
            }
            else
            {
                L($"var item = new {elem}();");
                L("item.Read(ref reader, version);");
                L("list.Add(item);");
            }

            Close();
            L($"{target} = list;");
            Close();
            return;
        }

        if (!TypeModel.IsPrimitive(f.Type))
        {
            var cls = StructClass(f.Type);
            if (f.IsNullableAnywhere && nullable != "false")
            {
                Open(nullable == "true" ? "if (!reader.ReadStructPresence())" : $"if (({nullable}) && !reader.ReadStructPresence())");
                L($"{target} = null;");
                Close();
                Open("else");
            }
            else
            {
                Open("");
            }

            L($"var value = new {cls}();");
            L("value.Read(ref reader, version);");
            L($"{target} = value;");
            Close();
            return;
        }

        L($"{target} = {ReadScalar(f.Type, compact, nullable, f.IsNullableAnywhere)};");
    }

    private static string ReadScalar(string type, string compact, string nullable, bool nullableType) => type switch
    {
        "int8" => "reader.ReadInt8()",
        "int16" => "reader.ReadInt16()",
        "uint16" => "reader.ReadUInt16()",
        "int32" => "reader.ReadInt32()",
        "uint32" => "reader.ReadUInt32()",
        "int64" => "reader.ReadInt64()",
        "float64" => "reader.ReadFloat64()",
        "bool" => "reader.ReadBool()",
        "uuid" => "reader.ReadUuid()",
        "string" => $"reader.ReadString({compact}, {nullable}){(nullableType ? "" : "!")}",
        "bytes" => $"reader.ReadBytes({compact}, {nullable}){(nullableType ? "" : "!")}",
        "records" => $"reader.ReadRecords({compact}, {nullable}){(nullableType ? "" : ".GetValueOrDefault()")}",
        _ => throw new InvalidOperationException(type),
    };

    private void EmitWrite(List<FieldSpec> fields, string className, bool topLevel)
    {
        L("/// <summary>Writes this object's fields for <paramref name=\"version\"/>.</summary>");
        Open("public void Write(ref global::Cairn.Kafka.Protocol.KafkaWriter writer, short version)");
        EmitVersionCheck(className, topLevel);
        if (HasFlexible)
        {
            L($"var flexible = {FlexibleDecl};");
        }

        foreach (var f in fields)
        {
            if (f.IsTagged) continue;
            var cond = f.Versions.Condition(_scope);
            if (cond == "false") continue;
            if (cond != "true") Open($"if ({cond})");
            else Open("");
            EmitWriteValue(f, f.Name, "writer", CompactExpr(f, false), NullableExpr(f));
            Close();
        }

        var tagged = fields.Where(f => f.IsTagged).OrderBy(f => f.Tag).ToList();
        if (HasFlexible)
        {
            Open("if (flexible)");
            L("var taggedCount = UnknownTaggedFields?.Count ?? 0;");
            var present = new List<(FieldSpec F, string Cond)>();
            foreach (var f in tagged)
            {
                var cond = f.TaggedVersions.Intersect(f.Versions).Condition(_scope);
                if (cond == "false") continue;
                var full = cond == "true" ? NonDefault(f, f.Name) : $"({cond}) && {NonDefault(f, f.Name)}";
                present.Add((f, full));
                Open($"if ({full})");
                L("taggedCount++;");
                Close();
            }

            L("writer.WriteUnsignedVarInt((uint)taggedCount);");
            foreach (var (f, full) in present)
            {
                Open($"if ({full})");
                L($"writer.WriteUnsignedVarInt({f.Tag});");
                L("var sizer = global::Cairn.Kafka.Protocol.KafkaWriter.CreateCounting();");
                Open("");
                EmitWriteValue(f, f.Name, "sizer", "true", NullableExpr(f));
                Close();
                L("writer.WriteUnsignedVarInt((uint)sizer.BytesWritten);");
                Open("");
                EmitWriteValue(f, f.Name, "writer", "true", NullableExpr(f));
                Close();
                Close();
            }

            Open("if (UnknownTaggedFields is not null)");
            Open("foreach (var raw in UnknownTaggedFields)");
            L("writer.WriteUnsignedVarInt(raw.Tag);");
            L("writer.WriteUnsignedVarInt((uint)raw.Data.Length);");
            L("writer.WriteRaw(raw.Data);");
            Close();
            Close();
            Close();
        }

        Close();
    }

    private void EmitWriteValue(FieldSpec f, string p, string w, string compact, string nullable)
    {
        if (f.IsArray)
        {
            if (f.IsNullableAnywhere)
            {
                L($"{w}.WriteArrayLength({p}?.Count ?? -1, {compact}, {nullable});");
                Open($"if ({p} is not null)");
            }
            else
            {
                L($"{w}.WriteArrayLength({p}.Count, {compact}, {nullable});");
                Open("");
            }

            Open($"foreach (var item in {p})");
            if (TypeModel.IsPrimitive(f.ElementType))
            {
                L(WriteScalar(f.ElementType, "item", w, compact, "false") + ";");
            }
            else
            {
                L($"item.Write(ref {w}, version);");
            }

            Close();
            Close();
            return;
        }

        if (!TypeModel.IsPrimitive(f.Type))
        {
            if (f.IsNullableAnywhere)
            {
                if (nullable != "false")
                {
                    Open(nullable == "true" ? "" : $"if ({nullable})");
                    L($"{w}.WriteStructPresence({p} is not null);");
                    L($"{p}?.Write(ref {w}, version);");
                    Close();
                    if (nullable != "true")
                    {
                        Open("else");
                        L($"({p} ?? throw new global::Cairn.Kafka.Protocol.KafkaProtocolException(\"Non-nullable struct {f.Name} was null when writing.\")).Write(ref {w}, version);");
                        Close();
                    }
                }
                else
                {
                    L($"({p} ?? throw new global::Cairn.Kafka.Protocol.KafkaProtocolException(\"Non-nullable struct {f.Name} was null when writing.\")).Write(ref {w}, version);");
                }
            }
            else
            {
                L($"{p}.Write(ref {w}, version);");
            }

            return;
        }

        L(WriteScalar(f.Type, p, w, compact, nullable) + ";");
    }

    private static string WriteScalar(string type, string p, string w, string compact, string nullable) => type switch
    {
        "int8" => $"{w}.WriteInt8({p})",
        "int16" => $"{w}.WriteInt16({p})",
        "uint16" => $"{w}.WriteUInt16({p})",
        "int32" => $"{w}.WriteInt32({p})",
        "uint32" => $"{w}.WriteUInt32({p})",
        "int64" => $"{w}.WriteInt64({p})",
        "float64" => $"{w}.WriteFloat64({p})",
        "bool" => $"{w}.WriteBool({p})",
        "uuid" => $"{w}.WriteUuid({p})",
        "string" => $"{w}.WriteString({p}, {compact}, {nullable})",
        "bytes" => $"{w}.WriteBytes({p}, {compact}, {nullable})",
        "records" => $"{w}.WriteRecords({p}, {compact}, {nullable})",
        _ => throw new InvalidOperationException(type),
    };
}

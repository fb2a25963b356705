using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;
using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>Proto enum value names (<c>TASK_RUNNING</c>, <c>PARTITION_AWARE</c>), as Mesos prints them.</summary>
public static class ProtoEnumNames
{
    private static readonly ConcurrentDictionary<(Type, int), string> Names = new();

    public static string ToProtoName(this TaskState state) => Name(state);

    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        return Names.GetOrAdd((typeof(T), number), static key =>
        {
            foreach (var field in key.Item1.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (Convert.ToInt32(field.GetValue(null), System.Globalization.CultureInfo.InvariantCulture) == key.Item2)
                {
                    return field.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? field.Name;
                }
            }

            return key.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}

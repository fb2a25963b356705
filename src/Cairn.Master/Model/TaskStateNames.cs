using Google.Protobuf.Reflection;
using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>Proto enum names (<c>TASK_RUNNING</c>), as Mesos prints states in JSON.</summary>
public static class TaskStateNames
{
    private static readonly Dictionary<TaskState, string> Names = Build();

    public static string ToProtoName(this TaskState state) => Names.TryGetValue(state, out var name) ? name : state.ToString();

    private static Dictionary<TaskState, string> Build()
    {
        var names = new Dictionary<TaskState, string>();
        EnumDescriptor descriptor = MesosReflection.Descriptor.FindTypeByName<EnumDescriptor>("TaskState");
        foreach (var value in descriptor.Values)
        {
            names[(TaskState)value.Number] = value.Name;
        }

        return names;
    }
}

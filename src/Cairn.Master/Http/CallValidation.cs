using Mesos.V1.Scheduler;

namespace Cairn.Master.Http;

/// <summary>Static validation of a scheduler Call (Mesos' <c>scheduler::call::validate</c>).</summary>
public static class CallValidation
{
    /// <summary>Returns an error text for a 400, or null.</summary>
    public static string? Validate(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        if (call.Type == Call.Types.Type.Subscribe)
        {
            if (call.Subscribe is null)
            {
                return "Expecting 'subscribe' to be present";
            }

            if (call.Subscribe.FrameworkInfo is not { } info)
            {
                return "Expecting 'subscribe.framework_info' to be present";
            }

            if (info.Id is { } id && call.FrameworkId is { } frameworkId && id.Value != frameworkId.Value)
            {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }

            if (info.Id is not null && call.FrameworkId is null)
            {
                return "'framework_id' must be set when 'subscribe.framework_info.id' is";
            }

            return null;
        }

        if (call.FrameworkId is null)
        {
            return "Expecting 'framework_id' to be present";
        }

        return call.Type switch
        {
            Call.Types.Type.Accept when call.Accept is null => "Expecting 'accept' to be present",
            Call.Types.Type.Decline when call.Decline is null => "Expecting 'decline' to be present",
            Call.Types.Type.Kill when call.Kill is null => "Expecting 'kill' to be present",
            Call.Types.Type.Acknowledge when call.Acknowledge is null => "Expecting 'acknowledge' to be present",
            Call.Types.Type.Reconcile when call.Reconcile is null => "Expecting 'reconcile' to be present",
            Call.Types.Type.Shutdown when call.Shutdown is null => "Expecting 'shutdown' to be present",
            Call.Types.Type.Message when call.Message is null => "Expecting 'message' to be present",
            Call.Types.Type.Unknown => "Unknown call type",
            _ => null,
        };
    }
}

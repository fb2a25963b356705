using Cairn.Api.Conversions;
using Cairn.Master.Model;
using Mesos.V1;

namespace Cairn.Master.Core;

/// <summary>/metrics/snapshot: Mesos' metric names (mesos.md §4.3).</summary>
public sealed partial class MasterCore
{
    /// <summary>Takes the metrics snapshot; names sorted as Mesos returns them.</summary>
    public SortedDictionary<string, double> MetricsSnapshot()
    {
        var m = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var now = Now;
        m["master/uptime_secs"] = (now - StartTime).TotalSeconds;
        m["master/elected"] = 1;
        int active = 0, connected = 0, disconnected = 0, unreachable = 0;
        var total = Cairn.Common.Resources.Empty;
        var used = Cairn.Common.Resources.Empty;
        foreach (var agent in _agents.Values)
        {
            if (agent.Active)
            {
                active++;
                connected++;
                if (ResourceConversions.TryFromProto(agent.Info.Resources, out var resources, out _))
                {
                    total += resources;
                }

                foreach (var task in agent.Tasks.Values)
                {
                    if (!task.IsTerminal)
                    {
                        used += ResourcesOf(task).Unallocated();
                    }
                }
            }
            else if (agent.UnreachableTime is not null)
            {
                unreachable++;
            }
            else
            {
                disconnected++;
            }
        }

        m["master/slaves_active"] = active;
        m["master/slaves_inactive"] = _agents.Count - active;
        m["master/slaves_connected"] = connected;
        m["master/slaves_disconnected"] = disconnected;
        m["master/slaves_unreachable"] = unreachable;
        foreach (var name in (string[])["cpus", "mem", "disk", "gpus"])
        {
            var t = total.Scalar(name);
            var u = used.Scalar(name);
            m[$"master/{name}_total"] = t;
            m[$"master/{name}_used"] = u;
            m[$"master/{name}_percent"] = t > 0 ? u / t : 0;
        }

        int frameworksConnected = 0, frameworksDisconnected = 0;
        var states = new Dictionary<TaskState, int>();
        foreach (var framework in _frameworks.Values)
        {
            if (framework.Connected)
            {
                frameworksConnected++;
            }
            else
            {
                frameworksDisconnected++;
            }

            foreach (var task in framework.Tasks.Values)
            {
                if (!task.IsTerminal)
                {
                    states[task.State] = states.GetValueOrDefault(task.State) + 1;
                }
            }

            states[TaskState.TaskUnreachable] = states.GetValueOrDefault(TaskState.TaskUnreachable) + framework.UnreachableTasks.Count;
        }

        m["master/frameworks_active"] = frameworksConnected;
        m["master/frameworks_connected"] = frameworksConnected;
        m["master/frameworks_disconnected"] = frameworksDisconnected;
        m["master/frameworks_inactive"] = frameworksDisconnected;
        m["master/outstanding_offers"] = _offers.Count;
        m["master/tasks_staging"] = states.GetValueOrDefault(TaskState.TaskStaging);
        m["master/tasks_starting"] = states.GetValueOrDefault(TaskState.TaskStarting);
        m["master/tasks_running"] = states.GetValueOrDefault(TaskState.TaskRunning);
        m["master/tasks_killing"] = states.GetValueOrDefault(TaskState.TaskKilling);
        m["master/tasks_unreachable"] = states.GetValueOrDefault(TaskState.TaskUnreachable);
        m["master/tasks_finished"] = Counters.TasksFinished;
        m["master/tasks_failed"] = Counters.TasksFailed;
        m["master/tasks_killed"] = Counters.TasksKilled;
        m["master/tasks_lost"] = Counters.TasksLost;
        m["master/tasks_error"] = Counters.TasksError;
        m["master/tasks_dropped"] = Counters.TasksDropped;
        m["master/tasks_gone"] = Counters.TasksGone;
        m["master/slave_registrations"] = Counters.SlaveRegistrations;
        m["master/slave_reregistrations"] = Counters.SlaveReregistrations;
        m["master/slave_removals"] = Counters.SlaveRemovals;
        m["master/slave_unreachable_completed"] = Counters.SlavesUnreachableMarked;
        m["master/messages_status_update"] = Counters.StatusUpdates;
        m["master/invalid_status_updates"] = Counters.InvalidStatusUpdates;
        m["master/messages_launch_tasks"] = Counters.TasksLaunched;
        m["master/messages_decline_offers"] = Counters.OffersDeclined;
        m["master/offers_made"] = Counters.OffersMade;
        m["master/offers_rescinded"] = Counters.OffersRescinded;
        m["allocator/mesos/allocation_runs"] = Counters.AllocationRuns;
        m["allocator/mesos/allocation_run_ms"] = Counters.LastAllocationRunMs;
        m["registrar/registry_version"] = _registry.Version;
        return m;
    }
}

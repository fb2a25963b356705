using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Agent.Checkpoint;

/// <summary>
/// A task's task.updates checkpoint: an append-only log of status updates ("U &lt;base64 TaskStatus&gt;")
/// and acknowledgements ("A &lt;base64 uuid&gt;"), one per line, fsync'd before the update is sent.
/// Replaying it gives back the updates still waiting for an acknowledgement.
/// </summary>
public sealed class UpdateLog : IDisposable
{
    private readonly FileStream _file;

    /// <summary>Opens (creating) the log for appending.</summary>
    public UpdateLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>Appends an update.</summary>
    public void AppendUpdate(TaskStatus status) => Append('U', status.ToByteArray());

    /// <summary>Appends an acknowledgement of the update with <paramref name="uuid"/>.</summary>
    public void AppendAck(ByteString uuid) => Append('A', uuid.ToByteArray());

    private void Append(char kind, byte[] payload)
    {
        var line = System.Text.Encoding.ASCII.GetBytes($"{kind} {Convert.ToBase64String(payload)}\n");
        _file.Write(line);
        _file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Reads a log: every update in order, and the updates not yet acknowledged (in order). A torn last line
    /// (crash while appending) is ignored.
    /// </summary>
    public static (List<TaskStatus> All, List<TaskStatus> Unacknowledged) Replay(string path)
    {
        var all = new List<TaskStatus>();
        var pending = new List<TaskStatus>();
        if (!File.Exists(path))
        {
            return (all, pending);
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Length < 3 || line[1] != ' ')
            {
                continue;
            }

            byte[] payload;
            try
            {
                payload = Convert.FromBase64String(line[2..]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (line[0] == 'U')
            {
                TaskStatus status;
                try
                {
                    status = TaskStatus.Parser.ParseFrom(payload);
                }
                catch (InvalidProtocolBufferException)
                {
                    continue;
                }

                all.Add(status);
                pending.Add(status);
            }
            else if (line[0] == 'A')
            {
                var uuid = ByteString.CopyFrom(payload);
                var index = pending.FindIndex(s => s.Uuid == uuid);
                if (index >= 0)
                {
                    pending.RemoveAt(index);
                }
            }
        }

        return (all, pending);
    }

    public void Dispose() => _file.Dispose();
}

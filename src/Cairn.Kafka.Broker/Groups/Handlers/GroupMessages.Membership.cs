using Cairn.Kafka.Broker.Groups.Api;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Groups.Handlers;

/// <summary>
/// Translation between the generated wire messages and the coordinator's version-independent records.
/// Version rules live here (v0 rebalance timeout, KIP-394 from v4, LeaveGroup's v3 member list, ...).
/// </summary>
public static partial class GroupMessages
{
    public static JoinGroupInput ToInput(JoinGroupRequest request, short version, string? clientId, string clientHost)
    {
        var protocols = new List<GroupProtocol>(request.Protocols.Count);
        foreach (var p in request.Protocols)
        {
            protocols.Add(new GroupProtocol(p.Name, p.Metadata));
        }

        return new JoinGroupInput(
            request.GroupId,
            request.MemberId,
            version >= 5 ? request.GroupInstanceId : null,
            request.ProtocolType,
            protocols,
            request.SessionTimeoutMs,
            version >= 1 ? request.RebalanceTimeoutMs : request.SessionTimeoutMs,
            clientId ?? "",
            clientHost,
            RequireKnownMemberId: version >= 4);
    }

    public static JoinGroupResponse ToResponse(JoinGroupOutput output)
    {
        var response = new JoinGroupResponse
        {
            ErrorCode = (short)output.Error,
            GenerationId = output.GenerationId,
            ProtocolType = output.ProtocolType,
            ProtocolName = output.ProtocolName ?? "",
            Leader = output.LeaderId,
            MemberId = output.MemberId,
        };
        foreach (var m in output.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember { MemberId = m.MemberId, GroupInstanceId = m.GroupInstanceId, Metadata = m.Metadata });
        }

        return response;
    }

    public static SyncGroupInput ToInput(SyncGroupRequest request, short version)
    {
        var assignments = new Dictionary<string, byte[]>(request.Assignments.Count, StringComparer.Ordinal);
        foreach (var a in request.Assignments)
        {
            assignments[a.MemberId] = a.Assignment;
        }

        return new SyncGroupInput(
            request.GroupId, request.GenerationId, request.MemberId,
            version >= 3 ? request.GroupInstanceId : null,
            version >= 5 ? request.ProtocolType : null,
            version >= 5 ? request.ProtocolName : null,
            assignments);
    }

    public static SyncGroupResponse ToResponse(SyncGroupOutput output) => new()
    {
        ErrorCode = (short)output.Error,
        ProtocolType = output.ProtocolType,
        ProtocolName = output.ProtocolName,
        Assignment = output.Assignment,
    };

    public static HeartbeatInput ToInput(HeartbeatRequest request, short version) =>
        new(request.GroupId, request.GenerationId, request.MemberId, version >= 3 ? request.GroupInstanceId : null);

    public static LeaveGroupInput ToInput(LeaveGroupRequest request, short version)
    {
        if (version < 3)
        {
            return new LeaveGroupInput(request.GroupId, [new LeavingMember(request.MemberId, null)]);
        }

        var members = new List<LeavingMember>(request.Members.Count);
        foreach (var m in request.Members)
        {
            members.Add(new LeavingMember(m.MemberId, m.GroupInstanceId));
        }

        return new LeaveGroupInput(request.GroupId, members);
    }

    public static LeaveGroupResponse ToResponse(LeaveGroupOutput output, short version)
    {
        var response = new LeaveGroupResponse { ErrorCode = (short)output.Error };
        if (version < 3)
        {
            // One member, and its outcome is the top-level error.
            if (output.Error == GroupErrorCode.None && output.Members.Count > 0)
            {
                response.ErrorCode = (short)output.Members[0].Error;
            }

            return response;
        }

        foreach (var m in output.Members)
        {
            response.Members.Add(new LeaveGroupResponse.MemberResponse { MemberId = m.MemberId, GroupInstanceId = m.GroupInstanceId, ErrorCode = (short)m.Error });
        }

        return response;
    }
}

using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Groups.Handlers;

public static partial class GroupMessages
{
    public static DescribeGroupsResponse ToResponse(IReadOnlyList<Api.DescribedGroup> groups)
    {
        var response = new DescribeGroupsResponse();
        foreach (var g in groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup
            {
                ErrorCode = (short)g.Error,
                GroupId = g.GroupId,
                GroupState = g.State,
                ProtocolType = g.ProtocolType,
                ProtocolData = g.ProtocolName,
                AuthorizedOperations = int.MinValue,
            };
            foreach (var m in g.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    ClientId = m.ClientId,
                    ClientHost = m.ClientHost,
                    MemberMetadata = m.Metadata,
                    MemberAssignment = m.Assignment,
                });
            }

            response.Groups.Add(described);
        }

        return response;
    }

    public static ListGroupsResponse ToResponse(IReadOnlyList<Api.ListedGroup> groups)
    {
        var response = new ListGroupsResponse();
        foreach (var g in groups)
        {
            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = g.GroupId, ProtocolType = g.ProtocolType, GroupState = g.State, GroupType = "classic" });
        }

        return response;
    }

    public static DeleteGroupsResponse ToResponse(IReadOnlyList<Api.DeletedGroup> results)
    {
        var response = new DeleteGroupsResponse();
        foreach (var r in results)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = r.GroupId, ErrorCode = (short)r.Error });
        }

        return response;
    }
}

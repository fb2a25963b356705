using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Groups.Handlers;

/// <summary>
/// The group APIs on the wire: decode, hand to the coordinator's loop, encode. This broker is the coordinator of
/// every group (a single node owns every <c>__consumer_offsets</c> partition).
/// </summary>
internal sealed class GroupApiHandlers(GroupCoordinatorLoop loop, BrokerServices services)
{
    private const short CoordinatorNotAvailable = 15;

    public void Register(ApiHandlerTable table)
    {
        table.Register(ApiKey.FindCoordinator, 0, 3, FindCoordinatorAsync);
        table.Register(ApiKey.JoinGroup, 0, 5, JoinGroupAsync);
        table.Register(ApiKey.SyncGroup, 0, 5, SyncGroupAsync);
        table.Register(ApiKey.Heartbeat, 0, 4, HeartbeatAsync);
        table.Register(ApiKey.LeaveGroup, 0, 4, LeaveGroupAsync);
        table.Register(ApiKey.OffsetCommit, 2, 8, OffsetCommitAsync);
        table.Register(ApiKey.OffsetFetch, 1, 7, OffsetFetchAsync);
        table.Register(ApiKey.DescribeGroups, 0, 5, DescribeGroupsAsync);
        table.Register(ApiKey.ListGroups, 0, 4, ListGroupsAsync);
        table.Register(ApiKey.DeleteGroups, 0, 1, DeleteGroupsAsync);
        table.Register(ApiKey.OffsetDelete, 0, 0, OffsetDeleteAsync);
    }

    private ValueTask<ApiResult> FindCoordinatorAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<FindCoordinatorRequest>();
        var response = new FindCoordinatorResponse();

        // Key type 1 = transaction coordinator; transactions are not implemented.
        if (context.ApiVersion >= 1 && request.KeyType != 0)
        {
            response.ErrorCode = CoordinatorNotAvailable;
            response.ErrorMessage = "transactions are not supported";
            response.NodeId = -1;
            response.Host = "";
            response.Port = -1;
        }
        else
        {
            response.NodeId = services.NodeId;
            response.Host = services.AdvertisedHost;
            response.Port = services.AdvertisedPort;
        }

        return ValueTask.FromResult(ApiResult.Respond(response));
    }

    private async ValueTask<ApiResult> JoinGroupAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<JoinGroupRequest>();
        var clientHost = context.Connection?.RemoteEndPoint is { } remote ? "/" + remote.Address : "";
        var output = await loop.JoinGroupAsync(GroupMessages.ToInput(request, context.ApiVersion, context.ClientId, clientHost), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(output));
    }

    private async ValueTask<ApiResult> SyncGroupAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<SyncGroupRequest>();
        var output = await loop.SyncGroupAsync(GroupMessages.ToInput(request, context.ApiVersion), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(output));
    }

    private async ValueTask<ApiResult> HeartbeatAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var input = GroupMessages.ToInput(context.Read<HeartbeatRequest>(), context.ApiVersion);
        var error = await loop.InvokeAsync(c => c.Heartbeat(input), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(new HeartbeatResponse { ErrorCode = (short)error });
    }

    private async ValueTask<ApiResult> LeaveGroupAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var input = GroupMessages.ToInput(context.Read<LeaveGroupRequest>(), context.ApiVersion);
        var output = await loop.InvokeAsync(c => c.LeaveGroup(input), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(output, context.ApiVersion));
    }

    private async ValueTask<ApiResult> OffsetCommitAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var input = GroupMessages.ToInput(context.Read<OffsetCommitRequest>(), context.ApiVersion);
        var results = await loop.InvokeAsync(c => c.OffsetCommit(input), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(results));
    }

    private async ValueTask<ApiResult> OffsetFetchAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var input = GroupMessages.ToInput(context.Read<OffsetFetchRequest>(), context.ApiVersion);
        var output = await loop.InvokeAsync(c => c.OffsetFetch(input), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(output));
    }

    private async ValueTask<ApiResult> DescribeGroupsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<DescribeGroupsRequest>();
        var groups = await loop.InvokeAsync(c => c.DescribeGroups(request.Groups), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(groups));
    }

    private async ValueTask<ApiResult> ListGroupsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<ListGroupsRequest>();
        var filter = context.ApiVersion >= 4 ? request.StatesFilter : null;
        var groups = await loop.InvokeAsync(c => c.ListGroups(filter), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(groups));
    }

    private async ValueTask<ApiResult> DeleteGroupsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<DeleteGroupsRequest>();
        var results = await loop.InvokeAsync(c => c.DeleteGroups(request.GroupsNames), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(results));
    }

    private async ValueTask<ApiResult> OffsetDeleteAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<OffsetDeleteRequest>();
        var topics = GroupMessages.ToTopicPartitions(request);
        var output = await loop.InvokeAsync(c => c.OffsetDelete(request.GroupId, topics), cancellationToken).ConfigureAwait(false);
        return ApiResult.Respond(GroupMessages.ToResponse(output));
    }
}

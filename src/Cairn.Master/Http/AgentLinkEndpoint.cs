using Cairn.Api.AgentLink;
using Cairn.Master.Core;
using Cairn.Master.Hosting;
using Cairn.Master.Registry;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Master.Http;

/// <summary><c>POST /cairn/v1/agent</c>: the agent link (docs/api/agent-link.md).</summary>
public sealed class AgentLinkEndpoint(MasterLoop loop, RegistryWriter registry)
{
    public const string LinkIdHeader = "Cairn-Link-Id";

    private const int MaxBodyBytes = 256 << 20;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            await SchedulerEndpoint.Text(response, StatusCodes.Status405MethodNotAllowed, $"Expecting 'POST', received '{request.Method}'").ConfigureAwait(false);
            return;
        }

        var contentType = MediaTypes.RequestType(request, out var contentTypeError);
        if (contentType is null)
        {
            await contentTypeError!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (contentType != MediaTypes.Protobuf)
        {
            await SchedulerEndpoint.Text(response, StatusCodes.Status415UnsupportedMediaType, $"The agent link speaks {MediaTypes.Protobuf} only").ConfigureAwait(false);
            return;
        }

        var body = await HttpBodies.ReadAsync(request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await SchedulerEndpoint.Text(response, StatusCodes.Status413PayloadTooLarge, "Request body too large").ConfigureAwait(false);
            return;
        }

        AgentCall call;
        try
        {
            call = AgentCall.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            await SchedulerEndpoint.Text(response, StatusCodes.Status400BadRequest, "Failed to parse body into AgentCall: " + e.Message).ConfigureAwait(false);
            return;
        }

        var linkId = request.Headers.TryGetValue(LinkIdHeader, out var header) ? header.ToString() : null;
        CallResult result;
        long version;
        switch (call.Type)
        {
            case AgentCall.Types.Type.Register when call.Register?.AgentInfo is not null:
                await RegisterAsync(context, call.Register).ConfigureAwait(false);
                return;
            case AgentCall.Types.Type.StatusUpdate:
                (result, version) = await loop.InvokeAsync(core => (core.AgentStatusUpdate(linkId, call), core.Registry.Version)).ConfigureAwait(false);
                break;
            case AgentCall.Types.Type.Pong:
                (result, version) = await loop.InvokeAsync(core => (core.AgentPong(linkId, call), core.Registry.Version)).ConfigureAwait(false);
                break;
            case AgentCall.Types.Type.Unregister:
                (result, version) = await loop.InvokeAsync(core => (core.AgentUnregister(linkId, call), core.Registry.Version)).ConfigureAwait(false);
                break;
            default:
                await SchedulerEndpoint.Text(response, StatusCodes.Status400BadRequest, "Expecting a REGISTER (with 'register.agent_info'), STATUS_UPDATE, PONG or UNREGISTER call").ConfigureAwait(false);
                return;
        }

        await registry.WaitDurableAsync(version).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            response.StatusCode = result.StatusCode;
            return;
        }

        await SchedulerEndpoint.Text(response, result.StatusCode, result.Error ?? string.Empty).ConfigureAwait(false);
    }

    private async Task RegisterAsync(HttpContext context, AgentCall.Types.Register register)
    {
        var response = context.Response;
        var (result, version) = await loop.InvokeAsync(core => (core.RegisterAgent(register), core.Registry.Version)).ConfigureAwait(false);
        if (!result.Result.IsSuccess || result.Link is null)
        {
            await SchedulerEndpoint.Text(response, result.Result.StatusCode, result.Result.Error ?? string.Empty).ConfigureAwait(false);
            return;
        }

        var link = result.Link;
        var agentId = result.AgentId!;
        try
        {
            // The agent learns its id only once the registry holds it.
            await registry.WaitDurableAsync(version).ConfigureAwait(false);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MediaTypes.Protobuf;
            response.Headers[LinkIdHeader] = link.Id;
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await EventPump.PumpAsync(link, response.BodyWriter, static e => e.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            loop.Post(core => core.AgentLinkClosed(agentId, link.Id));
        }
    }
}

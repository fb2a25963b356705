using Cairn.Api.Json;
using Cairn.Common;
using Cairn.Master.Core;
using Cairn.Master.Hosting;
using Cairn.Master.Model;
using Cairn.Master.Registry;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Mesos.V1.Scheduler;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Http;

/// <summary><c>POST /api/v1/scheduler</c>: the Mesos v1 scheduler API (mesos.md §2).</summary>
public sealed class SchedulerEndpoint(MasterLoop loop, RegistryWriter registry)
{
    public const string StreamIdHeader = "Mesos-Stream-Id";

    /// <summary>Largest call body accepted (Mesos has no explicit limit; this guards memory).</summary>
    private const int MaxBodyBytes = 64 << 20;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            await Text(response, StatusCodes.Status405MethodNotAllowed, $"Expecting 'POST', received '{request.Method}'").ConfigureAwait(false);
            return;
        }

        var contentType = MediaTypes.RequestType(request, out var contentTypeError);
        if (contentType is null)
        {
            await contentTypeError!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var body = await HttpBodies.ReadAsync(request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await Text(response, StatusCodes.Status413PayloadTooLarge, "Request body too large").ConfigureAwait(false);
            return;
        }

        if (!TryParse(body, contentType, out var call, out var parseError))
        {
            await Text(response, StatusCodes.Status400BadRequest, parseError).ConfigureAwait(false);
            return;
        }

        var validationError = CallValidation.Validate(call);
        if (validationError is not null)
        {
            await Text(response, StatusCodes.Status400BadRequest, "Failed to validate scheduler::Call: " + validationError).ConfigureAwait(false);
            return;
        }

        var streamId = request.Headers.TryGetValue(StreamIdHeader, out var header) ? header.ToString() : null;
        if (call.Type == Call.Types.Type.Subscribe)
        {
            await SubscribeAsync(context, call, streamId).ConfigureAwait(false);
            return;
        }

        var (result, version) = await loop.InvokeAsync(core => (core.Handle(call, streamId), core.Registry.Version)).ConfigureAwait(false);
        await registry.WaitDurableAsync(version).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            response.StatusCode = result.StatusCode;
            return;
        }

        await Text(response, result.StatusCode, result.Error ?? string.Empty).ConfigureAwait(false);
    }

    private async Task SubscribeAsync(HttpContext context, Call call, string? streamIdHeader)
    {
        var response = context.Response;
        if (streamIdHeader is not null)
        {
            await Text(response, StatusCodes.Status400BadRequest, "Subscribe calls should not include the 'Mesos-Stream-Id' header").ConfigureAwait(false);
            return;
        }

        var accept = MediaTypes.ResponseType(context.Request);
        if (accept is null)
        {
            await Text(response, StatusCodes.Status406NotAcceptable, $"Expecting 'Accept' to allow '{MediaTypes.Json}' or '{MediaTypes.Protobuf}'").ConfigureAwait(false);
            return;
        }

        var (result, version) = await loop.InvokeAsync(core => (core.Subscribe(call), core.Registry.Version)).ConfigureAwait(false);
        if (!result.Result.IsSuccess || result.Stream is null)
        {
            await Text(response, result.Result.StatusCode, result.Result.Error ?? string.Empty).ConfigureAwait(false);
            return;
        }

        var stream = result.Stream;
        var frameworkId = result.FrameworkId!;
        try
        {
            await registry.WaitDurableAsync(version).ConfigureAwait(false);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = accept;
            response.Headers[StreamIdHeader] = stream.Id;
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            var json = accept == MediaTypes.Json;
            await EventPump.PumpAsync(stream, response.BodyWriter, e => json ? MesosJson.FormatUtf8(e) : e.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scheduler went away.
        }
        catch (IOException)
        {
        }
        finally
        {
            loop.Post(core => core.SubscriptionClosed(frameworkId, stream.Id));
        }
    }

    private static bool TryParse(byte[] body, string contentType, out Call call, out string error)
    {
        if (contentType == MediaTypes.Json)
        {
            string text;
            try
            {
                text = new System.Text.UTF8Encoding(false, true).GetString(body);
            }
            catch (System.Text.DecoderFallbackException e)
            {
                call = new Call();
                error = "Failed to parse body into JSON: " + e.Message;
                return false;
            }

            if (!MesosJson.TryParse(text, out call, out var jsonError))
            {
                error = "Failed to convert JSON into Call protobuf: " + jsonError;
                return false;
            }
        }
        else
        {
            try
            {
                call = Call.Parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException e)
            {
                call = new Call();
                error = "Failed to parse body into Call protobuf: " + e.Message;
                return false;
            }
        }

        if (!call.IsInitialized())
        {
            error = "Failed to convert JSON into Call protobuf: missing required fields";
            return false;
        }

        error = string.Empty;
        return true;
    }

    internal static Task Text(HttpResponse response, int statusCode, string text)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }
}

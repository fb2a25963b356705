using Cairn.Kafka.Protocol;

namespace Cairn.Kafka.Broker.Dispatch;

/// <summary>
/// The broker's API table: one handler and one advertised version range per API key. ApiVersions
/// advertises exactly what is registered here, so an API exists for clients only once it has a handler.
/// Built at startup (core APIs, then extensions such as the group coordinator), read-only afterwards.
/// </summary>
public sealed class ApiHandlerTable
{
    private readonly Registration?[] _handlers = new Registration?[256];
    private bool _frozen;

    /// <summary>One API key's handler and the versions it serves.</summary>
    public sealed record Registration(ApiKey Key, short MinVersion, short MaxVersion, ApiHandler Handler);

    /// <summary>
    /// Registers the handler for <paramref name="key"/>, serving versions <paramref name="minVersion"/>..<paramref name="maxVersion"/>
    /// (which must lie within the schema's valid versions). A key can be registered once.
    /// </summary>
    public void Register(ApiKey key, short minVersion, short maxVersion, ApiHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_frozen)
        {
            throw new InvalidOperationException("the API table is frozen once the broker listens");
        }

        if (!ApiKeys.TryGetInfo(key, out var info) || minVersion < info.LowestVersion || maxVersion > info.HighestVersion || minVersion > maxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(maxVersion), $"{key} versions {minVersion}..{maxVersion} are outside the schema's range");
        }

        var index = (int)key;
        if ((uint)index >= (uint)_handlers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(key));
        }

        if (_handlers[index] is not null)
        {
            throw new InvalidOperationException($"{key} is already registered");
        }

        _handlers[index] = new Registration(key, minVersion, maxVersion, handler);
    }

    /// <summary>The registration of <paramref name="key"/>, or null.</summary>
    public Registration? Find(ApiKey key)
    {
        var index = (int)key;
        return (uint)index < (uint)_handlers.Length ? _handlers[index] : null;
    }

    /// <summary>True when <paramref name="key"/> is registered.</summary>
    public bool Contains(ApiKey key) => Find(key) is not null;

    /// <summary>Every registration, by ascending key.</summary>
    public IEnumerable<Registration> All
    {
        get
        {
            foreach (var r in _handlers)
            {
                if (r is not null)
                {
                    yield return r;
                }
            }
        }
    }

    /// <summary>Prevents further registrations.</summary>
    public void Freeze() => _frozen = true;
}

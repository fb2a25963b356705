namespace Cairn.Kafka.Protocol;

/// <summary>Version facts about one API key, from the Kafka 3.9 schemas.</summary>
/// <param name="Key">The API key.</param>
/// <param name="Name">The API name (schema name without "Request").</param>
/// <param name="LowestVersion">Lowest valid version.</param>
/// <param name="HighestVersion">Highest valid version.</param>
/// <param name="FirstFlexibleVersion">First flexible (KIP-482) version, or -1 if none.</param>
/// <param name="LatestVersionUnstable">The highest version is marked unstable and must not be advertised.</param>
public readonly record struct ApiKeyInfo(
    ApiKey Key,
    string Name,
    short LowestVersion,
    short HighestVersion,
    short FirstFlexibleVersion,
    bool LatestVersionUnstable)
{
    /// <summary>True when <paramref name="version"/> is within the schema's valid versions.</summary>
    public bool IsValidVersion(short version) => version >= LowestVersion && version <= HighestVersion;

    /// <summary>True when <paramref name="version"/> uses compact types and tagged fields.</summary>
    public bool IsFlexible(short version) => FirstFlexibleVersion >= 0 && version >= FirstFlexibleVersion;

    /// <summary>
    /// Request header version for <paramref name="version"/> (Kafka <c>ApiMessageType.requestHeaderVersion</c>):
    /// 2 when flexible, else 1; ControlledShutdown v0 uses header v0.
    /// </summary>
    public short RequestHeaderVersion(short version) =>
        IsFlexible(version) ? (short)2 : Key == ApiKey.ControlledShutdown && version == 0 ? (short)0 : (short)1;

    /// <summary>
    /// Response header version for <paramref name="version"/>: 1 when flexible, else 0. ApiVersions responses always
    /// use v0 so that clients can read the error of a version the broker does not support.
    /// </summary>
    public short ResponseHeaderVersion(short version) =>
        IsFlexible(version) && Key != ApiKey.ApiVersions ? (short)1 : (short)0;
}

namespace Cairn.Kafka.Protocol.Tests;

public sealed class ApiKeysTests
{
    [Fact]
    public void Table_matches_the_Kafka_3_9_schemas_for_well_known_apis()
    {
        ApiKeys.TryGetInfo(ApiKey.Produce, out var produce).ShouldBeTrue();
        (produce.LowestVersion, produce.HighestVersion, produce.FirstFlexibleVersion).ShouldBe(((short)0, (short)11, (short)9));
        ApiKeys.TryGetInfo(ApiKey.Fetch, out var fetch).ShouldBeTrue();
        (fetch.HighestVersion, fetch.FirstFlexibleVersion).ShouldBe(((short)17, (short)12));
        ApiKeys.TryGetInfo(ApiKey.OffsetDelete, out var offsetDelete).ShouldBeTrue();
        offsetDelete.FirstFlexibleVersion.ShouldBe((short)-1);
        ((short)ApiKey.ApiVersions).ShouldBe((short)18);
        ((short)ApiKey.Metadata).ShouldBe((short)3);
    }

    [Theory]
    [InlineData(ApiKey.Produce, 8, 1, 0)]
    [InlineData(ApiKey.Produce, 9, 2, 1)]
    [InlineData(ApiKey.Metadata, 0, 1, 0)]
    [InlineData(ApiKey.Metadata, 9, 2, 1)]
    [InlineData(ApiKey.ApiVersions, 2, 1, 0)]
    [InlineData(ApiKey.ApiVersions, 3, 2, 0)]
    [InlineData(ApiKey.ApiVersions, 4, 2, 0)]
    [InlineData(ApiKey.ControlledShutdown, 0, 0, 0)]
    [InlineData(ApiKey.ControlledShutdown, 1, 1, 0)]
    [InlineData(ApiKey.SaslHandshake, 1, 1, 0)]
    public void Header_versions_follow_flexibility(ApiKey key, short version, short requestHeader, short responseHeader)
    {
        ApiKeys.TryGetInfo(key, out var info).ShouldBeTrue();
        info.RequestHeaderVersion(version).ShouldBe(requestHeader);
        info.ResponseHeaderVersion(version).ShouldBe(responseHeader);
    }
}

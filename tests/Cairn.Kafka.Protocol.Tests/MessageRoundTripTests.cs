namespace Cairn.Kafka.Protocol.Tests;

/// <summary>
/// Every generated message at every valid version: random instance → bytes → message → bytes must be identical,
/// the decoder must consume exactly the bytes written, and the counting writer must predict the size.
/// </summary>
public sealed class MessageRoundTripTests
{
    public static TheoryData<string> MessageNames()
    {
        var data = new TheoryData<string>();
        foreach (var m in MessageSamples.All)
        {
            data.Add(m.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_version_round_trips_random_instances(string name)
    {
        var entry = Array.Find(MessageSamples.All, m => m.Name == name);
        var random = new Random(name.Length * 7919 + name[0]);
        for (var version = entry.Min; version <= entry.Max; version++)
        {
            for (var sample = 0; sample < 25; sample++)
            {
                var original = entry.Create();
                MessageSamples.Fill(original, random, version);
                var bytes = TestBytes.Write(original, version);
                TestBytes.CountedSize(original, version).ShouldBe(bytes.Length);

                var decoded = TestBytes.Read(entry.Create(), bytes, version);
                var again = TestBytes.Write(decoded, version);
                TestBytes.ToHex(again).ShouldBe(TestBytes.ToHex(bytes), $"{name} v{version} sample {sample}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Default_instances_round_trip_at_every_version(string name)
    {
        var entry = Array.Find(MessageSamples.All, m => m.Name == name);
        for (var version = entry.Min; version <= entry.Max; version++)
        {
            var bytes = TestBytes.Write(entry.Create(), version);
            var again = TestBytes.Write(TestBytes.Read(entry.Create(), bytes, version), version);
            again.ShouldBe(bytes);
        }
    }

    [Fact]
    public void Every_api_key_has_request_and_response_factories()
    {
        foreach (var info in ApiKeys.All)
        {
            var request = ApiKeys.CreateRequest(info.Key).ShouldNotBeNull();
            var response = ApiKeys.CreateResponse(info.Key).ShouldNotBeNull();
            request.LowestVersion.ShouldBe(info.LowestVersion);
            response.HighestVersion.ShouldBe(info.HighestVersion);
            request.GetType().Name.ShouldBe(info.Name + "Request");
        }

        ApiKeys.CreateRequest((ApiKey)999).ShouldBeNull();
        ApiKeys.TryGetInfo((ApiKey)999, out _).ShouldBeFalse();
    }

    [Fact]
    public void Versions_outside_the_schema_range_are_protocol_errors()
    {
        var request = new Messages.ProduceRequest();
        Should.Throw<KafkaProtocolException>(() => TestBytes.Write(request, 12));
        Should.Throw<KafkaProtocolException>(() => TestBytes.Read(new Messages.ProduceRequest(), [0, 0], -1));
    }
}

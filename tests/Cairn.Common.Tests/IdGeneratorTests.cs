using Cairn.Common;

namespace Cairn.Common.Tests;

public class IdGeneratorTests
{
    [Fact]
    public void Ids_follow_the_mesos_shapes_and_are_reproducible_from_the_seed()
    {
        var ids = new IdGenerator(new Random(42));

        Guid.TryParse(ids.MasterId, out var uuid).ShouldBeTrue();
        ids.MasterId[14].ShouldBe('4');
        ids.NextAgentId().ShouldBe($"{ids.MasterId}-S0");
        ids.NextAgentId().ShouldBe($"{ids.MasterId}-S1");
        ids.NextFrameworkId().ShouldBe($"{ids.MasterId}-0000");
        ids.NextFrameworkId().ShouldBe($"{ids.MasterId}-0001");
        ids.NextOfferId().ShouldBe($"{ids.MasterId}-O0");
        new IdGenerator(new Random(42)).MasterId.ShouldBe(ids.MasterId);
        new IdGenerator(new Random(43)).MasterId.ShouldNotBe(ids.MasterId);
        uuid.ShouldNotBe(Guid.Empty);
    }
}

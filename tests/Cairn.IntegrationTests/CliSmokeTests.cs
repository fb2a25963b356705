using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests;

public sealed class CliSmokeTests
{
    [Fact]
    public async Task Version_prints_the_build_version_and_exits_zero()
    {
        await using var cairn = CairnProcess.Start("cairn version", ["version"]);
        (await cairn.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0);
        cairn.Output.ShouldStartWith("cairn ");
    }

    [Fact]
    public async Task Unknown_command_exits_nonzero_with_an_error()
    {
        await using var cairn = CairnProcess.Start("cairn bogus", ["no-such-command"]);
        (await cairn.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldNotBe(0);
        cairn.Output.ShouldContain("no-such-command");
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn state</c>, <c>cairn agents</c>, <c>cairn frameworks</c>, <c>cairn tasks [--all]</c>: the cluster as
/// tables, read from /master/state; <c>--json</c> prints that document unchanged, for scripts.
/// </summary>
internal static class ClusterStateCommands
{
    public static Command State() => Create("state", "Show the cluster: master, agents, frameworks, task counts.", (state, _) => RenderSummary(state));

    public static Command Agents() => Create("agents", "List the agents with their resources and attributes.", (state, _) => RenderAgents(state));

    public static Command Frameworks() => Create("frameworks", "List the frameworks.", (state, _) => RenderFrameworks(state));

    public static Command Tasks()
    {
        var all = new Option<bool>("--all") { Description = "Include completed tasks." };
        return Create("tasks", "List running tasks (--all: completed ones too).", (state, parse) => RenderTasks(state, parse.GetValue(all)), all);
    }

    private static Command Create(string name, string description, Action<JsonElement, ParseResult> render, params Option[] extra)
    {
        var master = new Option<string>("--master") { Description = "The master, host:port.", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var json = new Option<bool>("--json") { Description = "Print /master/state as raw JSON." };
        var command = new Command(name, description) { master, json };
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            using var http = new ClusterHttp();
            string text;
            try
            {
                text = http.MasterStateTextAsync(parse.GetValue(master)!, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"cairn {name}: cannot read {parse.GetValue(master)}/master/state: {e.Message}");
                return 1;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(text);
                return 0;
            }

            using var document = JsonDocument.Parse(text);
            render(document.RootElement, parse);
            return 0;
        });
        return command;
    }

    private static void RenderSummary(JsonElement state)
    {
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        table.AddRow("master", Markup.Escape($"{S(state, "hostname")} ({S(state, "id")})"));
        table.AddRow("version", Markup.Escape(S(state, "version")));
        table.AddRow("agents", Count(state, "slaves").ToString(CultureInfo.InvariantCulture));
        table.AddRow("frameworks", Count(state, "frameworks").ToString(CultureInfo.InvariantCulture));
        var running = 0;
        var completed = 0;
        foreach (var framework in Items(state, "frameworks"))
        {
            running += Count(framework, "tasks");
            completed += Count(framework, "completed_tasks");
        }

        table.AddRow("tasks", $"{running} active, {completed} completed");
        AnsiConsole.Write(table);
        RenderAgents(state);
        RenderFrameworks(state);
    }

    private static void RenderAgents(JsonElement state)
    {
        var table = new Table().AddColumns("ID", "HOST", "ACTIVE", "RESOURCES", "USED", "ATTRIBUTES");
        foreach (var slave in Items(state, "slaves"))
        {
            table.AddRow(
                Markup.Escape(S(slave, "id")),
                Markup.Escape($"{S(slave, "hostname")}:{N(slave, "port")}"),
                slave.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True ? "yes" : "no",
                Markup.Escape(Flat(slave, "resources")),
                Markup.Escape(Flat(slave, "used_resources")),
                Markup.Escape(Flat(slave, "attributes")));
        }

        AnsiConsole.Write(table);
    }

    private static void RenderFrameworks(JsonElement state)
    {
        var table = new Table().AddColumns("ID", "NAME", "ACTIVE", "ROLES", "TASKS", "USED");
        foreach (var framework in Items(state, "frameworks"))
        {
            var roles = new List<string>();
            foreach (var role in Items(framework, "roles"))
            {
                roles.Add(role.GetString() ?? "");
            }

            table.AddRow(
                Markup.Escape(S(framework, "id")),
                Markup.Escape(S(framework, "name")),
                framework.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True ? "yes" : "no",
                Markup.Escape(roles.Count > 0 ? string.Join(",", roles) : S(framework, "role")),
                Count(framework, "tasks").ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Flat(framework, "used_resources")));
        }

        AnsiConsole.Write(table);
    }

    private static void RenderTasks(JsonElement state, bool all)
    {
        var table = new Table().AddColumns("ID", "NAME", "STATE", "FRAMEWORK", "AGENT", "RESOURCES");
        foreach (var framework in Items(state, "frameworks"))
        {
            AddTasks(table, framework, "tasks");
            AddTasks(table, framework, "unreachable_tasks");
            if (all)
            {
                AddTasks(table, framework, "completed_tasks");
            }
        }

        if (all)
        {
            foreach (var framework in Items(state, "completed_frameworks"))
            {
                AddTasks(table, framework, "completed_tasks");
            }
        }

        AnsiConsole.Write(table);
    }

    private static void AddTasks(Table table, JsonElement framework, string list)
    {
        foreach (var task in Items(framework, list))
        {
            table.AddRow(
                Markup.Escape(S(task, "id")),
                Markup.Escape(S(task, "name")),
                Markup.Escape(S(task, "state")),
                Markup.Escape(S(task, "framework_id")),
                Markup.Escape(S(task, "slave_id")),
                Markup.Escape(Flat(task, "resources")));
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static int Count(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;

    private static string S(JsonElement element, string name) => ClusterHttp.Str(element, name) ?? "";

    private static string N(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "";

    // A flat Mesos resource or attribute map as "cpus:1 mem:128 ports:[31000-31010]".
    private static string Flat(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var property in map.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number && property.Value.GetDouble() == 0)
            {
                continue;
            }

            parts.Add(property.Name + ":" + (property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText()));
        }

        return string.Join(" ", parts);
    }
}

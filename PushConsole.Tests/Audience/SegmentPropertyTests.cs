using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Tests.Audience;

/// <summary>
/// Many generated rule trees, each translated to SQL and run on the database, compared with the in-memory reading
/// of the same rules over the same generated data (<see cref="RuleOracle"/>), and counted through <see cref="SegmentQueries"/>
/// (the in-memory index where it knows the fields, else SQL) against the same reading. Runs on SQLite and on PostgreSQL.
/// </summary>
public static class SegmentPropertyCheck
{
    public static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    public static Task<AppHost> StartAsync(string? postgres = null) => AppHost.StartAsync(o =>
    {
        o.PostgresConnectionString = postgres;
        o.Services = s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)));
    });

    public static async Task RunAsync(AppHost host, int seed, int trees)
    {
        var world = await SegmentWorld.CreateAsync(host, Now, seed);
        var service = host.Get<SegmentService>();
        var random = new Random(seed);

        // saved segments to refer to, the later ones referring to the earlier ones
        var saved = new Dictionary<long, SegmentRules>();
        for (var k = 0; k < 4; k++)
        {
            var rules = new RuleGenerator(random, Now, [.. saved.Keys], savable: true).Rules(maxDepth: 3, maxConditions: 5);
            var view = await service.CreateAsync(world.AppId, $"saved {k}", rules, Actor.System);
            saved[view.Id] = view.Rules;
        }
        var oracle = new RuleOracle(world, saved);
        // counts go through the in-memory index (built before, exactly as SQL sees the data); trees it cannot read go to SQL
        var indexes = host.Get<SegmentIndexes>();
        await indexes.WarmAsync(world.AppId);
        var indexed = 0;
        var generator = new RuleGenerator(random, Now, [.. saved.Keys]);
        var covered = new HashSet<(string, string)>();
        var mismatches = new List<string>();
        var interesting = 0;
        await using var connection = await host.Get<Database>().OpenAsync();
        var generated = generator.EveryOperator().Concat(Enumerable.Range(0, trees).Select(_ => generator.Rules(maxDepth: 5, maxConditions: 12))).ToList();
        for (var t = 0; t < generated.Count; t++)
        {
            var rules = generated[t];
            // through JSON and back, as the API and the store see it
            rules = RulesJson.Parse(RulesJson.Write(rules));
            foreach (var c in rules.Conditions()) covered.Add((c.Field, c.Operator));
            var expected = oracle.Match(rules);
            var parameters = new DynamicParameters();
            var where = await service.WhereAsync(world.AppId, rules, parameters);
            var actual = (await connection.QueryAsync<long>($"SELECT i.id FROM {SegmentSql.From} WHERE {where}", parameters)).ToHashSet();
            if (!expected.SetEquals(actual))
                mismatches.Add($"{RulesJson.Write(rules)}\n  expected {expected.Count}, got {actual.Count}; missing [{string.Join(",", expected.Except(actual).Take(5))}] " +
                               $"extra [{string.Join(",", actual.Except(expected).Take(5))}]\n  {where}");
            if (expected.Count > 0 && expected.Count < world.Installations.Count) interesting++;
            var answered = indexes.Answered;
            var count = await host.Get<SegmentQueries>().CountAsync(world.AppId, rules);
            var supported = SegmentIndexEvaluator.Supports(rules, await service.ValidContextAsync(world.AppId, rules));
            Assert.Equal(supported ? answered + 1 : answered, indexes.Answered);
            if (supported) indexed++;
            var matched = world.Installations.Where(i => expected.Contains(i.Id)).ToList();
            var counted = (count.Installations, count.Recipients, string.Join(",", count.ByPlatform.Select(p => $"{p.Platform}:{p.Installations}")));
            var truth = (matched.Count, matched.Count(i => i.State == "subscribed"),
                         string.Join(",", count.ByPlatform.Select(p => $"{p.Platform}:{matched.Count(i => i.Platform == p.Platform)}")));
            if (counted != truth)
                mismatches.Add($"count {(supported ? "from the index" : "in SQL")} of {RulesJson.Write(rules)}\n  expected {truth}, got {counted}");
        }
        // every field the index knows is read by a good share of the trees (the agenda and geofence ones go to SQL)
        Assert.True(indexed > generated.Count / 3, $"Only {indexed} of {generated.Count} counts came from the index.");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {generated.Count} trees disagree; first ones:\n" + string.Join("\n\n", mismatches.Take(3)));
        var missing = SegmentFields.All.SelectMany(f => f.Operators.Select(o => (f.Id, o.Operator))).Where(p => !covered.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "Operators never generated: " + string.Join(", ", missing));
        Assert.True(interesting > trees / 3, $"Only {interesting} of {trees} trees matched some but not all installations.");
    }
}

public sealed class SegmentPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Generated_rule_trees_select_in_SQLite_exactly_what_the_in_memory_evaluation_selects(int seed)
    {
        await using var host = await SegmentPropertyCheck.StartAsync();
        await SegmentPropertyCheck.RunAsync(host, seed, trees: 250);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SegmentPropertyPostgresTests(PostgresCluster cluster)
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Generated_rule_trees_select_in_PostgreSQL_exactly_what_the_in_memory_evaluation_selects(int seed)
    {
        await using var host = await SegmentPropertyCheck.StartAsync(await cluster.CreateDatabaseAsync());
        await SegmentPropertyCheck.RunAsync(host, seed, trees: 250);
    }
}

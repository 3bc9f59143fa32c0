namespace PushConsole.Game;

/// <summary>ApexCharts options and series of the quiz's live answers, as plain data the chart component serialises.</summary>
public static class GameCharts
{
    private const string Right = "#2e7d32", Other = "#5c6bc0";

    public static Dictionary<string, object?> AnswersOptions(QuizSpec quiz) => new()
    {
        ["chart"] = new Dictionary<string, object?>
        {
            ["type"] = "bar", ["animations"] = new { enabled = false }, ["toolbar"] = new { show = false }, ["zoom"] = new { enabled = false }, ["fontFamily"] = "inherit",
        },
        ["plotOptions"] = new { bar = new { distributed = true, columnWidth = "55%" } },
        ["dataLabels"] = new { enabled = true },
        ["legend"] = new { show = false },
        ["colors"] = quiz.Options.Select(o => o.Id == quiz.Correct ? Right : Other).ToArray(),
        ["xaxis"] = new { categories = quiz.Options.Select(o => Label(o)).ToArray() },
        ["yaxis"] = new { title = new { text = "answers" }, min = 0, forceNiceScale = true, labels = new { } },
    };

    public static object AnswersSeries(QuizSpec quiz, IReadOnlyDictionary<string, long> counts) =>
        new object[] { new { name = "Answers", data = quiz.Options.Select(o => counts.GetValueOrDefault(o.Id)).ToList() } };

    private static string Label(QuizOption o) => o.Title.Length > 24 ? $"{o.Id}: {o.Title[..23]}…" : $"{o.Id}: {o.Title}";
}

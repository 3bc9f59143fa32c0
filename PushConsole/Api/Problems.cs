namespace PushConsole.Api;

/// <summary>Bad input, field by field. Services throw it; endpoints answer 400 problem+json, pages show the messages.</summary>
public sealed class BadInputException(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
    : Exception(detail ?? Describe(errors))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public BadInputException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public string? First(string field) => Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? messages[0] : null;

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}

/// <summary>Something the request names does not exist (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request conflicts with what is stored, e.g. a duplicate id (409).</summary>
public sealed class ConflictException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Collects field errors, then throws them all at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many messages so far (a validator can tell whether its part added any).</summary>
    public int Count => _errors.Values.Sum(l => l.Count);

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (Any) throw new BadInputException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}

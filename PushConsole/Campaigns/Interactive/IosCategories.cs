using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Campaigns.Interactive;

/// <summary>A category as the server API takes it (and the console's editor builds it).</summary>
public sealed record IosCategoryRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("actions")] IReadOnlyList<IosCategoryActionRequest?>? Actions);

public sealed record IosCategoryActionRequest([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("title")] string? Title);

/// <summary><c>PUT /v4/app/ios_categories</c>: the app's whole list.</summary>
public sealed record IosCategoriesRequest([property: JsonPropertyName("categories")] IReadOnlyList<IosCategoryRequest?>? Categories);

public sealed record IosCategoryView(string Id, IReadOnlyList<IosCategoryAction> Actions);

public sealed record IosCategoryList(IReadOnlyList<IosCategoryView> Categories);

/// <summary>The iOS notification categories of each app: listed, added, edited and deleted on the app page, read and replaced through the server API.</summary>
public sealed class IosCategories(IDbContextFactory<AppDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public const int MaxPerApp = 100;

    public async Task<IReadOnlyList<IosCategoryView>> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<IosCategory>().AsNoTracking().Where(c => c.AppId == appId).ToListAsync(ct);
        return [.. rows.OrderBy(c => c.Identifier, StringComparer.Ordinal).Select(c => new IosCategoryView(c.Identifier, c.Actions))];
    }

    /// <summary>Adds a category (<paramref name="original"/> null) or replaces the one with that id (which may be renamed).</summary>
    public async Task<IosCategoryView> SaveAsync(long appId, string? original, IosCategoryRequest? input, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var checkedInput = Check(input, "", errors);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var all = await db.Set<IosCategory>().Where(c => c.AppId == appId).ToListAsync(ct);
        var row = original is null ? null
            : all.FirstOrDefault(c => c.Identifier == original) ?? throw new NotFoundException($"There is no iOS category \"{original}\" in this app.");
        if (checkedInput is { } valid && all.FirstOrDefault(c => c != row && string.Equals(c.Identifier, valid.Id, StringComparison.OrdinalIgnoreCase)) is { } taken)
            errors.Add("id", $"The app already has the category {taken.Identifier}; edit that one or choose another id.");
        if (row is null && all.Count >= MaxPerApp) errors.Add("id", $"An app has at most {MaxPerApp} categories; delete one first.");
        errors.ThrowIfAny();
        var (id, actions) = checkedInput!.Value;
        if (row is null) db.Add(row = new IosCategory { AppId = appId, Identifier = id });
        row.Identifier = id;
        row.Actions = actions;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, original is null ? "ios_category.created" : "ios_category.updated", id,
            (original is not null && original != id ? $"was {original}; " : "") + Describe(actions));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // lost a race with a concurrent save of the same id: say so, like the check above
            throw new BadInputException("id", $"The app already has the category {id}; edit that one or choose another id.");
        }
        return new IosCategoryView(id, actions);
    }

    public async Task DeleteAsync(long appId, string id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<IosCategory>().FirstOrDefaultAsync(c => c.AppId == appId && c.Identifier == id, ct)
                  ?? throw new NotFoundException($"There is no iOS category \"{id}\" in this app.");
        db.Remove(row);
        audit.Add(db, actor, "ios_category.deleted", id, Describe(row.Actions));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Replaces the app's whole list (server API); every item is checked first, so a bad one changes nothing.</summary>
    public async Task<IReadOnlyList<IosCategoryView>> ReplaceAsync(long appId, IosCategoriesRequest? body, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var items = body?.Categories;
        if (items is null) errors.Add("categories", "Send {\"categories\": [{\"id\": \"SESSION_INVITE\", \"actions\": [{\"id\": \"going\", \"title\": \"I'm going\"}]}]} (an empty list removes them all).");
        else if (items.Count > MaxPerApp) errors.Add("categories", $"An app has at most {MaxPerApp} categories; got {items.Count}.");
        var valid = new List<(string Id, IReadOnlyList<IosCategoryAction> Actions)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            if (Check(items![i], $"categories[{i}].", errors) is not { } category) continue;
            if (!seen.Add(category.Id)) errors.Add($"categories[{i}].id", $"{category.Id} is in the list twice; give each category once.");
            else valid.Add(category);
        }
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<IosCategory>().Where(c => c.AppId == appId).ExecuteDeleteAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (id, actions) in valid) db.Add(new IosCategory { AppId = appId, Identifier = id, Actions = actions, UpdatedAt = now });
        audit.Add(db, actor, "ios_categories.replaced", null, valid.Count == 0 ? "none" : string.Join("; ", valid.Select(c => $"{c.Id}: {Describe(c.Actions)}")));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return [.. valid.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new IosCategoryView(c.Id, c.Actions))];
    }

    /// <summary>iOS takes any string; we keep ids plain so they read the same in the app's code, the payload and the console.</summary>
    public static bool IsIdentifier(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= IosCategoryConfiguration.MaxIdentifier
                                     && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static (string Id, IReadOnlyList<IosCategoryAction> Actions)? Check(IosCategoryRequest? input, string prefix, FieldErrors errors)
    {
        var before = errors.Count;
        if (input is null) { errors.Add(prefix.TrimEnd('.'), "Each category is an object: {\"id\", \"actions\"}."); return null; }
        var id = input.Id?.Trim();
        if (!IsIdentifier(id))
            errors.Add(prefix + "id", $"A category id is 1 to {IosCategoryConfiguration.MaxIdentifier} letters, digits, '_', '-' or '.', e.g. SESSION_INVITE — the id the app registers.");
        var actions = new List<IosCategoryAction>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var given = input.Actions ?? [];
        if (given.Count == 0) errors.Add(prefix + "actions", "Give the category its buttons (1 to 3): they are what iOS shows for it.");
        else if (given.Count > ActionRules.MaxActions)
            errors.Add(prefix + "actions", $"A category has at most {ActionRules.MaxActions} buttons, like a push; remove {given.Count - ActionRules.MaxActions}.");
        for (var j = 0; j < given.Count; j++)
        {
            var at = $"{prefix}actions[{j}]";
            if (given[j] is not { } action) { errors.Add(at, "Each button is an object: {\"id\", \"title\"}."); continue; }
            var actionId = action.Id?.Trim();
            if (actionId is null || !ClientEventTypes.IsActionId(actionId))
                errors.Add($"{at}.id", "A button id is 1 to 32 lowercase letters, digits, '_' or '-' (it comes back as actionId on a click).");
            else if (!ids.Add(actionId)) errors.Add($"{at}.id", $"Another button already has the id \"{actionId}\"; give each button its own id.");
            var title = action.Title?.Trim();
            if (string.IsNullOrEmpty(title)) errors.Add($"{at}.title", "Give the button a title (what the attendee reads).");
            else if (title.Length > ActionRules.MaxTitle) errors.Add($"{at}.title", $"Keep the title under {ActionRules.MaxTitle} characters.");
            else if (title.Any(char.IsControl)) errors.Add($"{at}.title", "Remove the control characters from the title.");
            if (actionId is not null && title is not null) actions.Add(new IosCategoryAction(actionId, title));
        }
        return errors.Count > before ? null : (id!, actions);
    }

    private static string Describe(IReadOnlyList<IosCategoryAction> actions) => string.Join(", ", actions.Select(a => $"{a.Id} \"{a.Title}\""));
}

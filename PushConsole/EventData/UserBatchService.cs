using PushConsole.Api;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.EventData;

/// <summary>
/// Creates or updates many user profiles at once (<c>POST /v4/users/batch</c>, the console's CSV import, the demo). Each row
/// is held to the checks of <c>PUT /v4/users/{userId}</c>; a bad row is reported by index and field and skipped whole, the
/// good ones are stored in batched SQL in one transaction.
/// </summary>
public sealed class UserBatchService(Database database, TimeProvider clock)
{
    public const int MaxRows = 10_000;

    public async Task<UserBatchResult> ImportAsync(long appId, IReadOnlyList<UserBatchRow?>? rows, CancellationToken ct = default)
    {
        var batch = Validate(rows);
        var (created, updated) = await UserBatchSql.StoreAsync(database, appId, batch.Valid.Select(v => v.Profile).ToList(), clock.GetUtcNow().UtcDateTime, ct);
        return new UserBatchResult(created, updated, batch.Errors);
    }

    /// <summary>Checks every row without storing anything (the import page previews with it); a request that is not a batch at all is a 400.</summary>
    public static ValidatedBatch Validate(IReadOnlyList<UserBatchRow?>? rows)
    {
        if (rows is null) throw new BadInputException("users", "Send {\"users\": [ … ]}: a list of profiles, each with its userId.");
        if (rows.Count > MaxRows)
            throw new BadInputException("users", $"{rows.Count:N0} users in one request; send at most {MaxRows:N0} per request (split the list).");
        var valid = new List<(int, ValidProfile)>(rows.Count);
        var errors = new List<UserBatchError>();
        var seen = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        for (var index = 0; index < rows.Count; index++)
        {
            if (rows[index] is not { } row) { errors.Add(new UserBatchError(index, "users", "This row is null; send an object with at least userId.")); continue; }
            var fieldErrors = new FieldErrors();
            var profile = UserProfileInput.Validate(fieldErrors, row.UserId, row);
            if (profile is not null && !seen.TryAdd(profile.UserId, index))
            {
                fieldErrors.Add("userId", $"userId \"{DeviceValidation.Clip(profile.UserId)}\" is already at index {seen[profile.UserId]} of this request; send each user once.");
                profile = null;
            }
            if (profile is not null) valid.Add((index, profile));
            else foreach (var (field, messages) in fieldErrors.ToDictionary())
                foreach (var message in messages) errors.Add(new UserBatchError(index, field, message));
        }
        return new ValidatedBatch(valid, errors);
    }
}

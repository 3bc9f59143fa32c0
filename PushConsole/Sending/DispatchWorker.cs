using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Dispatch;
using PushConsole.Sending.Providers;
using PushConsole.Devices;

namespace PushConsole.Sending;

/// <summary>
/// The send worker, in every instance: claims due rows with a lease, sends them concurrently per lane over the
/// pooled provider clients, and writes outcomes back in batches. Woken at once by a launch (no Quartz polling);
/// sleeps until the next due row otherwise. A crash loses nothing: rows whose lease runs out are sent again.
/// </summary>
public sealed class DispatchWorker(
    Database database, Outbox outbox, Targets targets, CampaignCache campaigns, ProviderClients providers, Lanes lanes, RetryPolicy retry,
    DispatchSignal signal, DispatchProgress progress, DeliveryStates states, ISendingFeedback feedback, IServiceScopeFactory scopes, IOptions<DispatchOptions> options,
    TimeProvider clock, ILogger<DispatchWorker> logger) : BackgroundService
{
    private readonly DispatchOptions _options = options.Value;
    private readonly Channel<(ClaimedDelivery Row, Decision Decision)> _outcomes = Channel.CreateUnbounded<(ClaimedDelivery, Decision)>();
    private readonly SemaphoreSlim _capacity = new(options.Value.MaxInFlight, options.Value.MaxInFlight);
    // cancels requests already handed to a provider only when the shutdown's grace runs out (stopping alone lets them finish)
    private readonly CancellationTokenSource _abortSends = new();
    private Task? _writer;
    private long _lastSweepMs;

    /// <summary>This instance's name on the rows it leases.</summary>
    public string Owner { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Provider requests started by this instance (for tests and the health check).</summary>
    public long RequestsStarted => Interlocked.Read(ref _requests);
    private long _requests;

    /// <summary>False once the outcome writer stopped (readiness: claimed rows would never be written back).</summary>
    public bool WriterRunning => _writer is not { IsCompleted: true };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WorkerEnabled) return;
        await Task.Yield();
        var writer = _writer = Task.Run(() => WriteLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // a database hiccup must not stop sending for good: log, back off, go on
                    logger.LogError(e, "The send worker's round failed; retrying in a second");
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            // stop claiming; requests already sent finish and every claimed row's outcome reaches the database (unsent ones go
            // back to pending); what still waits after Dispatch:ShutdownGrace is cancelled and released as interrupted
            var grace = Task.Delay(_options.ShutdownGrace, CancellationToken.None);
            while (_capacity.CurrentCount < _options.MaxInFlight && !grace.IsCompleted && !writer.IsCompleted) await Task.Delay(20, CancellationToken.None);
            await _abortSends.CancelAsync();
            for (var i = 0; i < 100 && _capacity.CurrentCount < _options.MaxInFlight && !writer.IsCompleted; i++) await Task.Delay(20, CancellationToken.None);
            _outcomes.Writer.TryComplete();
            await writer;
        }
    }

    /// <summary>One claim and its sends (or a sleep when nothing is due).</summary>
    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        await SweepLeasesAsync(stoppingToken);
        var free = _capacity.CurrentCount;
        if (free == 0)
        {
            await _capacity.WaitAsync(stoppingToken);
            _capacity.Release();
            return;
        }
        var now = NowMs;
        stoppingToken.ThrowIfCancellationRequested();
        // not cancellable: a claim cut short after its UPDATE ran would leave rows leased that no one sends
        var claiming = StageCpu.Start("claim");
        var batch = await outbox.ClaimAsync(Owner, Math.Min(_options.ClaimBatchSize, free), now, now + (long)_options.Lease.TotalMilliseconds, lanes.Paused(), CancellationToken.None);
        claiming.Stop();
        if (batch.Count == 0)
        {
            await IdleAsync(stoppingToken);
            return;
        }
        await StartAsync(batch, stoppingToken);
    }

    private long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task IdleAsync(CancellationToken ct)
    {
        var next = await outbox.NextDueAtAsync(ct);
        var wait = next is { } due ? TimeSpan.FromMilliseconds(Math.Clamp(due - NowMs, 0, _options.IdlePoll.TotalMilliseconds)) : _options.IdlePoll;
        // due rows the claim skipped belong to paused lanes: sleep until the first pause ends (a launch still wakes us), never re-claim in a loop
        if (wait == TimeSpan.Zero)
            wait = lanes.EarliestResume() is { } resume
                ? TimeSpan.FromMilliseconds(Math.Clamp((resume - clock.GetUtcNow()).TotalMilliseconds, 10, _options.IdlePoll.TotalMilliseconds))
                : TimeSpan.FromMilliseconds(10);
        await signal.WaitAsync(wait, ct);
    }

    private async Task SweepLeasesAsync(CancellationToken ct)
    {
        var now = NowMs;
        if (now - _lastSweepMs < 15_000) return;
        // SQLite means one instance: at start, whatever was in flight belonged to a process that is gone
        var first = _lastSweepMs == 0 && !database.IsPostgres;
        _lastSweepMs = now;
        var released = await outbox.ReleaseExpiredLeasesAsync(first ? long.MaxValue : now, ct);
        if (released > 0) logger.LogWarning("{Count} deliveries whose lease ran out are pending again", released);
    }

    private async Task StartAsync(IReadOnlyList<ClaimedDelivery> batch, CancellationToken ct)
    {
        // not cancellable: once claimed, every row must reach SendOneAsync, which hands it back as pending if we are stopping
        Dictionary<long, InstallationTarget> installations;
        using (StageCpu.Start("targets"))
            installations = await targets.LoadAsync(batch.Select(r => r.InstallationId), CancellationToken.None);
        foreach (var row in batch)
        {
            await _capacity.WaitAsync(CancellationToken.None); // the claim took no more than the free capacity
            var campaign = await campaigns.GetAsync(row.CampaignId, CancellationToken.None);
            _ = SendOneAsync(row, installations.GetValueOrDefault(row.InstallationId), campaign, ct);
        }
    }

    private async Task SendOneAsync(ClaimedDelivery row, InstallationTarget? target, SendingCampaign? campaign, CancellationToken ct)
    {
        Decision decision;
        try
        {
            decision = await DecideAsync(row, target, campaign, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down before the request left: back to pending, not counted as an attempt
            decision = new Decision(DeliveryOutcome.HandedBack(row, "interrupted by shutdown", row.DueAtMs));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivery {Delivery} failed unexpectedly; it will be retried", row.Id);
            decision = new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Pending, $"error: {e.GetType().Name}", null, e.Message,
                null, NowMs + (long)retry.Delay(row.Attempts, null).TotalMilliseconds));
        }
        PushMetrics.Delivery(row.Provider, decision.Outcome);
        await _outcomes.Writer.WriteAsync((row, decision), CancellationToken.None);
    }

    private async Task<Decision> DecideAsync(ClaimedDelivery row, InstallationTarget? target, SendingCampaign? campaign, CancellationToken ct)
    {
        DeliveryOutcome Final(DeliveryStatus status, string reason) => new(row.Id, row.CampaignId, status, reason, null, null, null, row.DueAtMs);
        var now = NowMs;
        if (campaign is null) return new Decision(Final(DeliveryStatus.Cancelled, "campaign deleted"));
        if (now > row.ExpiresAtMs) return new Decision(Final(DeliveryStatus.Expired, "time to live ran out before sending"));
        var type = campaign.Renderer.Campaign.Options.PushType;
        if (target is null) return new Decision(Final(DeliveryStatus.Cancelled, "installation erased"));
        if (!target.CanReceive(type)) return new Decision(Final(DeliveryStatus.Cancelled, target.Token is null ? "token taken by another installation" : $"installation {target.State}"));
        var pushTarget = target.ToPushTarget(campaign.ApnsDefault);
        if (pushTarget is null) return new Decision(Final(DeliveryStatus.Failed, "no usable token or subscription"));

        var lane = lanes[row.Lane];
        await lane.Concurrency.WaitAsync(ct);
        try
        {
            // a 429 pauses the whole lane: nothing leaves before the pause runs out
            while (lane.IsPaused)
            {
                var left = lane.PausedUntil - clock.GetUtcNow();
                if (left > TimeSpan.FromSeconds(20))
                    return new Decision(DeliveryOutcome.HandedBack(row, "lane paused by the provider", lane.PausedUntil.ToUnixTimeMilliseconds()));
                await Task.Delay(left, clock, ct);
            }
            if (lane.Quota is { } quota)
                using (var lease = quota.AttemptAcquire(1))
                    if (!lease.IsAcquired)
                    {
                        // the minute's quota is used: the lane waits as a paused one (the claim skips it, this row goes back to
                        // pending) rather than holding the in-flight budget APNs and Web Push share; the window frees a segment a second
                        var resume = clock.GetUtcNow() + TimeSpan.FromSeconds(1);
                        lane.PauseUntil(resume);
                        return new Decision(DeliveryOutcome.HandedBack(row, "FCM project quota", resume.ToUnixTimeMilliseconds()));
                    }
            var message = campaign.Renderer.Render(row.Id, row.Variant, row.Language, target.Platform, pushTarget, target.TimeZone);
            Interlocked.Increment(ref _requests);
            var started = clock.GetTimestamp();
            var result = await providers.SendAsync(row.AppId, message, _abortSends.Token);
            var decision = OutcomeRules.Decide(row, result, retry, _options, NowMs) with { Token = pushTarget.Token };
            PushMetrics.ProviderAnswered(row.Provider, result, clock.GetElapsedTime(started), decision.Outcome.Status == DeliveryStatus.Pending, decision.PauseLaneFor is not null);
            if (decision.PauseLaneFor is { } pause) lane.PauseUntil(clock.GetUtcNow() + pause);
            return decision;
        }
        finally
        {
            lane.Concurrency.Release();
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _outcomes.Reader;
        var batch = new List<(ClaimedDelivery Row, Decision Decision)>(_options.OutcomeBatchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            // gather a batch: up to the size, or whatever arrived within the flush interval
            var deadline = clock.GetUtcNow() + _options.FlushInterval;
            while (batch.Count < _options.OutcomeBatchSize)
            {
                if (reader.TryRead(out var item)) { batch.Add(item); continue; }
                var left = deadline - clock.GetUtcNow();
                if (left <= TimeSpan.Zero) break;
                using var wait = new CancellationTokenSource(left);
                try { if (!await reader.WaitToReadAsync(wait.Token)) break; }
                catch (OperationCanceledException) { break; }
            }
            // nothing may end this loop: a lost writer would hold the capacity and every lease expiry would re-send
            try { await FlushAsync(batch, stoppingToken); }
            catch (Exception e) { logger.LogCritical(e, "Handling {Count} written outcomes failed; they are stored, follow-ups were skipped", batch.Count); }
            _capacity.Release(batch.Count);
            batch.Clear();
        }
    }

    /// <summary>Since when outcomes cannot be written (null while they can); /health is Unhealthy meanwhile.</summary>
    public DateTimeOffset? OutcomesFailingSince => _failingSince is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    private long _failingSince;

    private async Task FlushAsync(List<(ClaimedDelivery Row, Decision Decision)> batch, CancellationToken stoppingToken)
    {
        // outcomes must reach the database: retry with growing back-off for as long as it takes (a bounded while shutting down)
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (StageCpu.Start("outcome_write"))
                    await outbox.WriteOutcomesAsync(Owner, batch.Select(b => b.Decision.Outcome).ToList(), CancellationToken.None);
                if (Interlocked.Exchange(ref _failingSince, 0) is > 0 and var since)
                    logger.LogWarning("Outcomes are written again after {Seconds:0.#} s of failures", (clock.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero)).TotalSeconds);
                break;
            }
            catch (Exception e)
            {
                if (stoppingToken.IsCancellationRequested && attempt >= 10)
                {
                    logger.LogError(e, "Giving up writing {Count} outcomes at shutdown; their leases will send them again", batch.Count);
                    return;
                }
                Interlocked.CompareExchange(ref _failingSince, clock.GetUtcNow().UtcTicks, 0);
                if (attempt < 3) logger.LogWarning(e, "Writing {Count} outcomes failed (attempt {Attempt}); retrying", batch.Count, attempt);
                else if (attempt % 10 == 3)
                    logger.LogCritical(e, "Writing {Count} outcomes has failed {Attempt} times; sending waits until the database takes them", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 5000)), CancellationToken.None);
            }
        }
        using var followUps = StageCpu.Start("follow_ups");
        await using var scope = scopes.CreateAsyncScope();
        var invalidations = batch.Where(b => b.Decision.InvalidateToken).Select(b => Invalidation(b.Row, b.Decision, clock)).ToList();
        if (invalidations.Count > 0)
            await scope.ServiceProvider.GetRequiredService<DeviceRegistry>().InvalidateAsync(invalidations);
        foreach (var pause in batch.Where(b => b.Decision.PauseCampaignBecause is not null).GroupBy(b => b.Row.CampaignId))
        {
            var because = pause.First().Decision.PauseCampaignBecause!;
            logger.LogWarning("Campaign {Campaign} paused: {Reason}", pause.Key, because);
            await feedback.PauseRequestedAsync(pause.Key, because, CancellationToken.None);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var deltas = batch.GroupBy(b => b.Row.CampaignId)
            .Select(g => DispatchProgress.DeltaOf(g.Key, now, g.Select(b => (b.Decision.Outcome.Status, b.Row.Provider))))
            .ToList();
        await progress.PublishAsync(deltas, CancellationToken.None);
        foreach (var campaignId in batch.Where(b => b.Decision.Outcome.Status != DeliveryStatus.Pending).Select(b => b.Row.CampaignId).Distinct())
            if (await states.CompleteIfDoneAsync(campaignId, CancellationToken.None))
            {
                campaigns.Forget(campaignId);
                logger.LogInformation("Campaign {Campaign} completed", campaignId);
            }
    }

    private static Invalidation Invalidation(ClaimedDelivery row, Decision decision, TimeProvider clock)
    {
        var outcome = decision.Outcome;
        var source = row.Provider switch { PushProvider.Fcm => ChangeSources.Fcm, PushProvider.Apns => ChangeSources.Apns, _ => ChangeSources.WebPush };
        return new Invalidation(row.InstallationId, source, outcome.Reason ?? "dead token", outcome.ProviderAnswer,
            decision.TokenInvalidSince?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime, decision.Token);
    }
}

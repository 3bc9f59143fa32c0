namespace PushConsole.Game;

/// <summary>Wakes the game's push worker after a completion or a quiz change (it also polls), and tells live pages a quiz got an answer.</summary>
public sealed class GameSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>A quiz (row id) got an answer; raised inside the storing transaction, so readers refresh a moment later.</summary>
    public event Action<long>? AnswerArrived;

    public void Wake()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { }
    }

    public void Answered(long quizId) => AnswerArrived?.Invoke(quizId);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await _signal.WaitAsync(timeout, ct);
}

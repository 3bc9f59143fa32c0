using System.Buffers;
using System.Text.Json;

namespace PushConsole.Sending.Providers;

/// <summary>One JSON writer and buffer per thread for the payloads, so rendering a push allocates only the bytes sent.</summary>
internal static class JsonScratch
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    /// <summary>The thread's writer, emptied. Use it without awaiting in between, then <see cref="Finish"/>.</summary>
    public static Utf8JsonWriter Start()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (t_json is { } json) json.Reset(buffer);
        else t_json = json = new Utf8JsonWriter(buffer);
        return json;
    }

    public static byte[] Finish(Utf8JsonWriter json)
    {
        json.Flush();
        return t_buffer!.WrittenSpan.ToArray();
    }
}

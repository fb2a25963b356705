using System.Reflection;
using System.Runtime.InteropServices;

namespace Cairn.Compat.ConfluentKafka;

/// <summary>
/// Points Confluent.Kafka's P/Invokes at Debian's librdkafka 2.0.2: the librdkafka.redist package that
/// normally ships the native library is an empty stand-in here, and bookworm has only the versioned
/// libdl.so.2 that Confluent.Kafka's loader asks for as "libdl".
/// </summary>
internal static class NativeLibraries
{
    public static void UseSystemLibrdkafka()
    {
        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name.Contains("librdkafka", StringComparison.Ordinal))
        {
            return NativeLibrary.Load("librdkafka.so.1");
        }

        if (name.Contains("libdl", StringComparison.Ordinal))
        {
            return NativeLibrary.Load("libdl.so.2");
        }

        return IntPtr.Zero;
    }
}

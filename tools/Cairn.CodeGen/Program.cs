// Generates C# codecs for Kafka's protocol messages from the JSON schemas in Kafka's
// clients/src/main/resources/common/message (copied to ../shared/spec/kafka/message).
// Usage: Cairn.CodeGen <schema-dir> <messages-output-dir> <test-samples-output-file>
using Cairn.CodeGen;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Cairn.CodeGen <schema-dir> <messages-output-dir> <test-samples-output-file>");
    return 2;
}

var (schemaDir, outDir, samplesFile) = (args[0], args[1], args[2]);
var specs = Directory.GetFiles(schemaDir, "*.json")
    .Order(StringComparer.Ordinal)
    .Select(MessageSpec.Load)
    .ToList();

if (Directory.Exists(outDir))
{
    foreach (var old in Directory.GetFiles(outDir, "*.g.cs"))
    {
        File.Delete(old);
    }
}

Directory.CreateDirectory(outDir);
var emitters = new List<MessageEmitter>();
foreach (var spec in specs)
{
    var emitter = new MessageEmitter(spec);
    emitters.Add(emitter);
    File.WriteAllText(Path.Combine(outDir, spec.Name + ".g.cs"), emitter.Emit());
}

File.WriteAllText(Path.Combine(outDir, "ApiKeys.g.cs"), ApiKeyEmitter.Emit(specs));
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(samplesFile))!);
File.WriteAllText(samplesFile, SampleEmitter.Emit(emitters));
Console.WriteLine($"generated {specs.Count} messages into {outDir}");
return 0;

// tests/machine/Description: the host description (machine/Description)
// that accompanies every measurement. Checks the fields are filled and the JSON keys are stable,
// since result files and notebooks read them by name.
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Hardware;
using Xunit;

namespace RedLeaf.Tests.Machine;

[Trait("suite", "machine")]
public class MachineDescriptionTests
{
    [Fact]
    public void Fields_are_filled()
    {
        MachineDescription host = MachineDescription.Current;
        Assert.False(string.IsNullOrWhiteSpace(host.Cpu));
        Assert.Equal(Environment.ProcessorCount, host.Cores);
        Assert.True(host.MemoryBytes > 0);
        Assert.False(string.IsNullOrWhiteSpace(host.Os));
        Assert.Contains(".NET", host.Runtime);
        Assert.Equal(Tsc.Source, host.Clock.Source);
        Assert.True(host.Clock.Hz > 0);
        Assert.Same(host, MachineDescription.Current);
    }

    [Fact]
    public void Json_object_has_the_snake_case_keys()
    {
        JsonObject json = MachineDescription.Current.ToJsonObject();
        foreach (string key in new[] { "cpu", "cores", "memory_bytes", "os", "runtime", "constant_tsc", "nonstop_tsc", "clock" })
            Assert.True(json.ContainsKey(key), key);
        JsonObject clock = json["clock"]!.AsObject();
        foreach (string key in new[] { "source", "hz", "read_cost_cycles" })
            Assert.True(clock.ContainsKey(key), key);
        Assert.Equal(Environment.ProcessorCount, json["cores"]!.GetValue<int>());

        JsonNode? roundTrip = JsonNode.Parse(json.ToJsonString());
        Assert.Equal(MachineDescription.Current.Cpu, roundTrip!["cpu"]!.GetValue<string>());
    }

    [Fact]
    public void Record_serializes_with_a_snake_case_policy()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        string text = JsonSerializer.Serialize(MachineDescription.Current, options);
        Assert.Contains("\"memory_bytes\"", text);
        Assert.Contains("\"read_cost_cycles\"", text);
    }
}

// os/abi/Devices: what a driver gets for misusing a device capability (an offset outside its region,
// a write over a buffer field, a slot that holds no buffer). Like a failed RRef check it faults the
// domain first, so catching it saves nothing: the domain is crashed when control leaves it.
namespace RedLeaf.Abi;

public sealed class CapabilityViolationException : Exception
{
    public CapabilityViolationException(string message) : base(message) { }
}

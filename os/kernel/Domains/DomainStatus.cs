// os/kernel/Domains: a domain's state as host code and notebooks see it.
namespace RedLeaf.Os.Domains;

public enum DomainStatus { Running, Faulted, Crashed, Killed, Stopped }

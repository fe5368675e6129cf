// measure: one operation to time. Suites implement it as a struct so the timing loop is
// specialised for it and the call being measured is the only call in the loop.
namespace RedLeaf.Measure;

public interface IOperation
{
    void Run();
}

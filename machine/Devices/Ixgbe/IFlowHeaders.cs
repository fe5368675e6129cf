// machine/Devices/Ixgbe: per flow, the header an application on the path must have written into the frames
// the sink receives (a load balancer's rewrite toward the flow's backend), computed when a frame arrives rather
// than stored per flow: the sink's ExpectFlowHeaders takes one for as many flows as the generator sends (a
// million, say), where ExpectHeaders takes a stored header per flow.
namespace RedLeaf.Hardware.Devices;

public interface IFlowHeaders
{
    /// <summary>The header frames of flow <paramref name="flow"/> must reach the sink with. Called once per frame on
    /// the sink's path, so it should be cheap and allocate nothing.</summary>
    FlowHeader HeaderOf(int flow);
}

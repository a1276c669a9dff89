package dev.plugboard.api.client;

/** Something asked of the client. */
public sealed interface InputRequest permits ElicitRequest, SamplingRequest, RootsRequest {

    /** The capability the client must have declared for this request. */
    ClientCapability capability();
}

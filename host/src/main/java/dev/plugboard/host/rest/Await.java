package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.RunningCall;
import dev.plugboard.host.http.HangUps;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.glassfish.grizzly.http.server.Request;

/** Waits for an operation on the request's thread, cancelling it when the client hangs up. */
final class Await {

    private Await() {
    }

    static ObjectNode result(RestContext rest, Request request, RunningCall call) throws InterruptedException {
        HangUps.Watch cancelIfGone = rest.hangUps().watch(request.getContext().getConnection(), call.cancel());
        try {
            return call.result().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } finally {
            cancelIfGone.release();
        }
    }
}

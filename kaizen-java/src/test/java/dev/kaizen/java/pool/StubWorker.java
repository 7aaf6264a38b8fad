package dev.kaizen.java.pool;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Ready;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.TestResult;
import dev.kaizen.worker.wire.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A stand-in worker JVM for the pool's own tests: it speaks the real protocol and starts in a
 * fraction of a second, and the first test name of a request says how it behaves: {@code pass}
 * answers, {@code recycle} answers asking to be recycled and exits, {@code die} halts the JVM with
 * status 7 without answering, {@code hang} never answers.
 */
public final class StubWorker {

    private StubWorker() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out));
        if (Wire.readTag(in) != Wire.SETUP) {
            System.exit(2);
        }
        Setup.readFrom(in);
        new Ready(ProcessHandle.current().pid(), System.getProperty("java.version"), 0).writeTo(out);
        out.flush();
        int served = 0;
        while (true) {
            int tag = Wire.readTag(in);
            if (tag != Wire.EVALUATE) {
                System.exit(0);
            }
            EvaluateRequest request = EvaluateRequest.readFrom(in);
            served++;
            String behaviour = request.tests().getFirst();
            if (behaviour.equals("die")) {
                System.err.println("stub worker: halting as asked");
                System.err.flush();
                Runtime.getRuntime().halt(7);
            }
            if (behaviour.equals("hang")) {
                Thread.sleep(Long.MAX_VALUE);
            }
            boolean recycle = behaviour.equals("recycle");
            new EvaluateResponse(request.id(), EvaluateResponse.Status.COMPLETED, "",
                    List.of(new TestResult("Stub#" + behaviour, TestResult.Status.PASSED, "", 1000)), Double.NaN, new long[0],
                    new long[0], -1, "", List.of(), recycle, recycle ? "the stub was asked to recycle" : "", 0, 0, 0, 0, served)
                    .writeTo(out);
            out.flush();
            if (recycle) {
                System.exit(0);
            }
        }
    }
}

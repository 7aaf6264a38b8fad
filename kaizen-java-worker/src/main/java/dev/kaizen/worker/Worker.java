package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Ready;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The worker JVM's entry point. It speaks the protocol of {@link dev.kaizen.worker.wire} on its
 * stdin and on the stdout it had at start; candidates' {@code System.out} and {@code System.err}
 * are captured per candidate and {@code System.in} is empty, so nothing a candidate prints or
 * reads can corrupt the protocol.
 *
 * <ol>
 *   <li>Reads {@link Setup}, warms up (compiles, loads and runs a JUnit 5 and a JUnit 4 test, times
 *       and counts a scoring method) and answers {@link Ready}.</li>
 *   <li>Answers each {@link EvaluateRequest} with an {@link EvaluateResponse}. After a response with
 *       {@code recycle}, it exits with status 0.</li>
 *   <li>Exits with status 0 on {@link Wire#SHUTDOWN} or at the end of its input, and with status 2
 *       after answering {@link Wire#PROTOCOL_ERROR} to anything it cannot read (or when it cannot
 *       start: no {@code javac}, a {@code release} javac rejects, a failed warm-up).</li>
 * </ol>
 *
 * <p>How the host should start it:
 * <pre>
 * java -XX:+UseSerialGC -Xmx512m -XX:MaxMetaspaceSize=256m -Xss4m \
 *      --add-opens java.base/java.lang=ALL-UNNAMED \
 *      -cp WORKER_JAR:JUNIT_AND_ASM_JARS:PROJECT_DEPENDENCY_JARS dev.kaizen.worker.Worker
 * </pre>
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: several workers share the machine; a serial collector keeps each
 *       one to a single GC thread and makes timings steadier.</li>
 *   <li>{@code -Xmx}: a candidate that runs out of heap is reported as {@code CRASHED} and the
 *       worker recycles; the heap should be what the project's tests need, plus some.</li>
 *   <li>{@code -XX:MaxMetaspaceSize}: bounds leaked classes; the worker recycles itself past 80% of it.</li>
 *   <li>{@code -Xss}: the stack of each candidate's runner thread; 4 MiB lets recursive code that
 *       passes under a build tool pass here too.</li>
 *   <li>{@code --add-opens java.base/java.lang=ALL-UNNAMED}: only to see shutdown hooks a candidate
 *       registers (and remove them); without it that one check is skipped.</li>
 *   <li>The class path must <em>not</em> contain the project's own class directories: those come in
 *       {@link Setup#classDirs()} and are loaded afresh for every candidate.</li>
 *   <li>It must run on a JDK (it needs {@code javac}).</li>
 * </ul>
 * The worker needs no network and writes no files; it reads the class directories and the compile
 * class path, so it runs in a sandbox that binds those read-only. Before loading a candidate it
 * refuses, with {@code REFUSED}, candidates whose classes call what {@link Setup#guard()} forbids.
 *
 * <p>{@code -Dkaizen.worker.warmup=false} skips the warm-up, so that {@link Ready} comes as soon
 * as the compiler is set up; the first candidates then pay for the cold start. Only for measuring
 * what a JVM per candidate would cost; the host never sets it. It writes diagnostics of its own (never a candidate's output) to stderr, rarely;
 * the host should drain or redirect stderr.
 */
public final class Worker {

    /** Exit status after a protocol error or a failed start. */
    static final int PROTOCOL_ERROR_EXIT = 2;
    /** The system property that, set to {@code false}, skips the warm-up. */
    static final String WARMUP_PROPERTY = "kaizen.worker.warmup";

    private final DataInputStream in;
    private final DataOutputStream out;
    private final PrintStream diagnostics;
    private final boolean warmup;

    private Worker(DataInputStream in, DataOutputStream out, PrintStream diagnostics, boolean warmup) {
        this.in = in;
        this.out = out;
        this.diagnostics = diagnostics;
        this.warmup = warmup;
    }

    /** Runs the worker until told to stop; see the class documentation. */
    public static void main(String[] args) {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        PrintStream diagnostics = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        OutputCapture capture = new OutputCapture().install();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        boolean warmup = !"false".equals(System.getProperty(WARMUP_PROPERTY));
        int status = new Worker(in, out, diagnostics, warmup).serve(capture);
        try {
            out.flush();
        } catch (IOException e) {
            // the host is gone; nothing left to tell it
        }
        // halt, not exit: shutdown hooks a candidate slipped past the checks must not run
        Runtime.getRuntime().halt(status);
    }

    /** Serves until the end; returns the exit status. */
    private int serve(OutputCapture capture) {
        CandidateEvaluator evaluator;
        try {
            int tag = Wire.readTag(in);
            if (tag == -1) {
                return 0;
            }
            if (tag != Wire.SETUP) {
                return protocolError("expected SETUP (" + Wire.SETUP + ") first, got tag " + tag);
            }
            Setup setup = Setup.readFrom(in);
            long start = System.nanoTime();
            evaluator = CandidateEvaluator.create(setup, capture);
            if (warmup) {
                Warmup.run(evaluator);
            }
            new Ready(ProcessHandle.current().pid(), System.getProperty("java.version"), System.nanoTime() - start).writeTo(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            return protocolError("cannot start: " + Failures.headline(e));
        } catch (InterruptedException e) {
            return protocolError("interrupted while starting");
        }
        while (true) {
            EvaluateRequest request;
            try {
                int tag = Wire.readTag(in);
                if (tag == -1 || tag == Wire.SHUTDOWN) {
                    return 0;
                }
                if (tag != Wire.EVALUATE) {
                    return protocolError("unexpected tag " + tag);
                }
                request = EvaluateRequest.readFrom(in);
            } catch (IOException | RuntimeException e) {
                return protocolError("cannot read the request: " + Failures.headline(e));
            }
            EvaluateResponse response;
            try {
                response = evaluator.evaluate(request);
            } catch (InterruptedException e) {
                return protocolError("interrupted");
            } catch (RuntimeException | Error e) {
                CandidateEvaluator.releaseReserve();
                e.printStackTrace(diagnostics);
                response = new EvaluateResponse(request.id(), EvaluateResponse.Status.CRASHED,
                        "the worker failed: " + Failures.headline(e), List.of(), Double.NaN, new long[0], new long[0], -1,
                        "", List.of(), true, "internal error in the worker", 0, 0, 0, 0, 0);
            }
            try {
                response.writeTo(out);
                out.flush();
            } catch (IOException e) {
                return 0; // the host is gone
            }
            if (response.recycle()) {
                return 0;
            }
        }
    }

    private int protocolError(String message) {
        diagnostics.println("kaizen worker: " + message);
        try {
            out.writeByte(Wire.PROTOCOL_ERROR);
            Wire.writeString(out, message);
            out.flush();
        } catch (IOException e) {
            // the host is gone
        }
        return PROTOCOL_ERROR_EXIT;
    }

    /**
     * The JVM options recommended in the class documentation, for a host to put before
     * {@code -cp}: serial GC, the given heap, bounded metaspace, 4 MiB thread stacks and the
     * {@code --add-opens} for the shutdown-hook check.
     */
    public static List<String> recommendedJvmOptions(int maxHeapMib) {
        return List.of("-XX:+UseSerialGC", "-Xmx" + maxHeapMib + "m", "-XX:MaxMetaspaceSize=256m", "-Xss4m",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED");
    }
}

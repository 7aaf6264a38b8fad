package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse;
import dev.kaizen.worker.wire.Ready;
import dev.kaizen.worker.wire.Setup;
import dev.kaizen.worker.wire.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real worker JVM started the way a host starts one, spoken to over its stdin and stdout. */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final DataOutputStream toWorker;
    private final DataInputStream fromWorker;
    private final Path stderr;
    final Ready ready;

    private WorkerProcess(Process process, Path stderr) throws IOException {
        this.process = process;
        this.stderr = stderr;
        this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.fromWorker = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        this.ready = null;
    }

    private WorkerProcess(WorkerProcess started, Ready ready) {
        this.process = started.process;
        this.stderr = started.stderr;
        this.toWorker = started.toWorker;
        this.fromWorker = started.fromWorker;
        this.ready = ready;
    }

    /** Starts a worker with the given JVM options, sends {@code setup} and waits for {@link Ready}. */
    static WorkerProcess start(Setup setup, String... jvmOptions) {
        WorkerProcess started = launch(jvmOptions);
        try {
            setup.writeTo(started.toWorker);
            started.toWorker.flush();
            int tag = Wire.readTag(started.fromWorker);
            if (tag != Wire.READY) {
                throw new IllegalStateException("expected READY, got " + tag + ": " + started.stderr());
            }
            return new WorkerProcess(started, Ready.readFrom(started.fromWorker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a worker and sends it nothing yet. */
    static WorkerProcess launch(String... jvmOptions) {
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:+UseSerialGC");
            command.addAll(List.of(jvmOptions));
            command.add("--add-opens");
            command.add("java.base/java.lang=ALL-UNNAMED");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Worker.class.getName());
            Path stderr = Files.createTempFile("worker", ".err");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            return new WorkerProcess(process, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EvaluateResponse evaluate(EvaluateRequest request) {
        try {
            request.writeTo(toWorker);
            toWorker.flush();
            int tag = Wire.readTag(fromWorker);
            if (tag != Wire.RESULT) {
                String message = tag == Wire.PROTOCOL_ERROR ? Wire.readString(fromWorker) : "";
                throw new IllegalStateException("expected RESULT, got " + tag + " " + message + ": " + stderr());
            }
            return EvaluateResponse.readFrom(fromWorker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends raw bytes, for protocol tests. */
    void sendRaw(byte[] bytes) throws IOException {
        toWorker.write(bytes);
        toWorker.flush();
    }

    /** Closes the worker's stdin, as a host that dies would. */
    void closeInput() throws IOException {
        toWorker.close();
    }

    DataInputStream input() {
        return fromWorker;
    }

    /** Waits for the worker to exit and returns its status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                toWorker.writeByte(Wire.SHUTDOWN);
                toWorker.flush();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException e) {
                // a temp file
            }
        }
    }
}

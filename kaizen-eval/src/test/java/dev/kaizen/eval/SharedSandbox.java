package dev.kaizen.eval;

import dev.kaizen.sandbox.Sandbox;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Detects the machine's sandbox once per test run, for {@link Fixture#sandbox()}, and closes it
 * (removing its cgroups) when the run ends.
 */
final class SharedSandbox implements BeforeAllCallback {

    /** Holds the sandbox in the root store, which closes it at the end of the run. */
    private record Holder(Sandbox sandbox) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            sandbox.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Fixture.use(() -> context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedSandbox.class, k -> new Holder(Sandbox.detect()), Holder.class).sandbox());
    }
}

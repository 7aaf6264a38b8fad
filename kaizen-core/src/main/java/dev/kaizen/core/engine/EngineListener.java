package dev.kaizen.core.engine;

/** Receives the engine's events on the engine's thread; must return quickly and not throw. */
@FunctionalInterface
public interface EngineListener {

    void on(EngineEvent event);

    static EngineListener none() {
        return e -> {};
    }
}

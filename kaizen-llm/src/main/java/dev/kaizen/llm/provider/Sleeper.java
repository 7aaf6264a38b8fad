package dev.kaizen.llm.provider;

import java.time.Duration;

/** Waits between attempts; replaceable so that tests can observe waits without spending them. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = d -> Thread.sleep(d);

    void sleep(Duration d) throws InterruptedException;
}

package dev.kaizen.worker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The project's scoring method, {@code com.acme.Bench#score}, resolved in one program's loader: a
 * public static method without parameters. Its number, if it returns one, is the {@code score}
 * metric; its running time is what timing measures.
 */
final class ScoreMethod {

    private final String spec;
    private final Method method;

    private ScoreMethod(String spec, Method method) {
        this.spec = spec;
        this.method = method;
    }

    /** Thrown when the method cannot be found or is not usable; the message says why. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown when the method itself throws; the cause is what it threw. */
    static final class Threw extends Exception {
        private static final long serialVersionUID = 1L;

        Threw(Throwable cause) {
            super(cause);
        }
    }

    /** Finds {@code spec} in {@code loader} without initializing its class. */
    static ScoreMethod resolve(String spec, ClassLoader loader) throws Unusable {
        int hash = spec.indexOf('#');
        if (hash <= 0 || hash == spec.length() - 1) {
            throw new Unusable("score method must be Class#method, was \"" + spec + "\"", null);
        }
        String className = spec.substring(0, hash);
        String methodName = spec.substring(hash + 1);
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new Unusable("score method's class " + className + " not found", e);
        } catch (LinkageError e) {
            throw new Unusable("score method's class " + className + " could not be loaded: " + Failures.headline(e), e);
        }
        Method method;
        try {
            method = type.getMethod(methodName);
        } catch (NoSuchMethodException e) {
            throw new Unusable("score method " + spec + "() not found: it must be public, static and take no arguments", e);
        } catch (LinkageError e) {
            throw new Unusable("score method " + spec + " could not be resolved: " + Failures.headline(e), e);
        }
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new Unusable("score method " + spec + "() must be static", null);
        }
        try {
            method.setAccessible(true); // a public method of a non-public class
        } catch (RuntimeException e) {
            throw new Unusable("score method " + spec + "() is not accessible: " + e.getMessage(), e);
        }
        return new ScoreMethod(spec, method);
    }

    /** Calls the method once and returns what it returned. */
    Object call() throws Threw {
        try {
            return method.invoke(null);
        } catch (InvocationTargetException e) {
            throw new Threw(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (ExceptionInInitializerError e) {
            throw new Threw(e.getCause() == null ? e : e.getCause());
        }
    }

    /** The method's result as a score: a number's double value, NaN for anything else. */
    static double score(Object result) {
        return result instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public String toString() {
        return spec;
    }
}

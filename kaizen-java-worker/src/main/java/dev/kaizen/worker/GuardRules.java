package dev.kaizen.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * The references each guard category refuses, as {@link Rule}s over the owner, name and
 * descriptor a class file names them by. A call's owner is the static type of its receiver
 * ({@code field.setAccessible(true)} names {@code java/lang/reflect/Field}), so rules on inherited
 * methods list every JDK class the call can name.
 */
final class GuardRules {

    /**
     * One refused reference.
     *
     * @param category     the guard category
     * @param owner        an internal class name, or a package prefix ending in {@code /} (that
     *                     package and those below it)
     * @param member       the method or field name, or null for every member and the constructors
     * @param descriptor   a prefix the member's descriptor must start with, or null for any
     * @param anyReference whether any mention of the type (a descriptor, a cast, a class
     *                     constant) is refused, not only its members
     */
    record Rule(String category, String owner, String member, String descriptor, boolean anyReference) {

        boolean ownerMatches(String internalName) {
            return owner.endsWith("/") ? internalName.startsWith(owner) : internalName.equals(owner);
        }

        boolean matches(String refOwner, String name, String desc) {
            return ownerMatches(refOwner) && (member == null || member.equals(name))
                    && (descriptor == null || desc.startsWith(descriptor));
        }

        /** Whether {@code descriptor} (a field or method descriptor) mentions the refused type. */
        boolean mentionedIn(String desc) {
            return anyReference && desc.contains("L" + owner + (owner.endsWith("/") ? "" : ";"));
        }
    }

    /** Superclasses whose subclasses are class loaders. */
    static final List<String> CLASS_LOADERS = List.of("java/lang/ClassLoader", "java/security/SecureClassLoader",
            "java/net/URLClassLoader");

    static final List<Rule> RULES = rules();

    private GuardRules() {}

    private static List<Rule> rules() {
        List<Rule> r = new ArrayList<>();
        // process
        whole(r, "process", "java/lang/ProcessBuilder", "java/lang/ProcessBuilder$Redirect", "java/lang/Process",
                "java/lang/ProcessHandle", "java/lang/ProcessHandle$Info");
        members(r, "process", "java/lang/Runtime", "exec");
        // exit
        members(r, "exit", "java/lang/System", "exit");
        members(r, "exit", "java/lang/Runtime", "exit", "halt");
        // reflection
        for (String owner : List.of("java/lang/reflect/AccessibleObject", "java/lang/reflect/Executable",
                "java/lang/reflect/Field", "java/lang/reflect/Method", "java/lang/reflect/Constructor")) {
            members(r, "reflection", owner, "setAccessible", "trySetAccessible");
        }
        members(r, "reflection", "java/lang/reflect/Method", "invoke");
        members(r, "reflection", "java/lang/reflect/Constructor", "newInstance");
        members(r, "reflection", "java/lang/Class", "newInstance");
        members(r, "reflection", "java/lang/invoke/MethodHandles", "privateLookupIn");
        members(r, "reflection", "java/lang/invoke/MethodHandles$Lookup", "findVirtual", "findStatic", "findSpecial",
                "findConstructor", "findGetter", "findSetter", "findStaticGetter", "findStaticSetter", "findVarHandle",
                "findStaticVarHandle", "findClass", "unreflect", "unreflectSpecial", "unreflectConstructor",
                "unreflectGetter", "unreflectSetter", "unreflectVarHandle", "bind");
        whole(r, "reflection", "sun/reflect/");
        // class loading
        members(r, "classloading", "java/lang/Class", "forName");
        for (String owner : CLASS_LOADERS) {
            members(r, "classloading", owner, "<init>", "loadClass", "defineClass", "getSystemClassLoader",
                    "getPlatformClassLoader", "newInstance");
        }
        members(r, "classloading", "java/lang/invoke/MethodHandles$Lookup", "defineClass", "defineHiddenClass",
                "defineHiddenClassWithClassData");
        members(r, "classloading", "java/lang/Thread", "setContextClassLoader");
        whole(r, "classloading", "java/lang/instrument/");
        // network
        members(r, "network", "java/net/URL", "openConnection", "openStream", "getContent");
        for (String cls : List.of("Socket", "ServerSocket", "DatagramSocket", "MulticastSocket", "InetAddress",
                "Inet4Address", "Inet6Address", "InetSocketAddress", "NetworkInterface", "URLConnection",
                "HttpURLConnection", "JarURLConnection", "SocketImpl", "DatagramSocketImpl", "Proxy", "ProxySelector",
                "CookieHandler", "Authenticator", "ResponseCache", "URLStreamHandler")) {
            whole(r, "network", "java/net/" + cls);
        }
        whole(r, "network", "java/net/http/", "javax/net/", "jdk/net/", "com/sun/net/", "java/rmi/",
                "java/nio/channels/SocketChannel", "java/nio/channels/ServerSocketChannel",
                "java/nio/channels/DatagramChannel", "java/nio/channels/AsynchronousSocketChannel",
                "java/nio/channels/AsynchronousServerSocketChannel", "java/nio/channels/spi/SelectorProvider");
        // files
        whole(r, "files", "java/io/FileInputStream", "java/io/FileOutputStream", "java/io/FileReader",
                "java/io/FileWriter", "java/io/RandomAccessFile", "java/nio/file/Files",
                "java/nio/file/spi/FileSystemProvider", "java/nio/channels/FileChannel",
                "java/nio/channels/AsynchronousFileChannel", "java/util/zip/ZipFile", "java/util/jar/JarFile",
                "java/util/logging/FileHandler");
        members(r, "files", "java/io/File", "exists", "isFile", "isDirectory", "isHidden", "canRead", "canWrite",
                "canExecute", "length", "lastModified", "delete", "deleteOnExit", "list", "listFiles", "listRoots", "mkdir",
                "mkdirs", "renameTo", "setLastModified", "setReadOnly", "setWritable", "setReadable", "setExecutable",
                "createNewFile", "createTempFile", "getTotalSpace", "getFreeSpace", "getUsableSpace", "getCanonicalPath",
                "getCanonicalFile");
        members(r, "files", "java/nio/file/Path", "toRealPath", "register");
        members(r, "files", "java/nio/file/FileSystems", "newFileSystem");
        members(r, "files", "java/nio/file/FileSystem", "provider", "newWatchService", "getFileStores", "getRootDirectories");
        for (String writer : List.of("java/io/PrintWriter", "java/io/PrintStream", "java/util/Formatter")) {
            constructor(r, "files", writer, "(Ljava/lang/String;");
            constructor(r, "files", writer, "(Ljava/io/File;");
        }
        constructor(r, "files", "java/util/Scanner", "(Ljava/io/File;");
        constructor(r, "files", "java/util/Scanner", "(Ljava/nio/file/Path;");
        // native
        members(r, "native", "java/lang/System", "load", "loadLibrary", "mapLibraryName");
        members(r, "native", "java/lang/Runtime", "load", "loadLibrary");
        whole(r, "native", "java/lang/foreign/");
        // unsafe
        r.add(new Rule("unsafe", "sun/misc/Unsafe", null, null, true));
        r.add(new Rule("unsafe", "jdk/internal/", null, null, true));
        // environment
        members(r, "environment", "java/lang/System", "setProperty", "clearProperty", "setProperties", "setOut",
                "setErr", "setIn", "setSecurityManager");
        members(r, "environment", "java/lang/Runtime", "addShutdownHook", "removeShutdownHook");
        members(r, "environment", "java/util/Locale", "setDefault");
        members(r, "environment", "java/util/TimeZone", "setDefault");
        members(r, "environment", "java/lang/Thread", "setDefaultUncaughtExceptionHandler");
        members(r, "environment", "java/security/Security", "addProvider", "insertProviderAt", "removeProvider",
                "setProperty");
        members(r, "environment", "java/net/URL", "setURLStreamHandlerFactory");
        members(r, "environment", "java/net/URLConnection", "setContentHandlerFactory", "setFileNameMap");
        // threads
        members(r, "threads", "java/lang/Thread", "<init>", "start", "startVirtualThread", "ofPlatform", "ofVirtual");
        whole(r, "threads", "java/util/concurrent/Executors");
        for (String pool : List.of("java/util/concurrent/ThreadPoolExecutor",
                "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/ForkJoinPool", "java/util/Timer")) {
            members(r, "threads", pool, "<init>");
        }
        return List.copyOf(r);
    }

    private static void whole(List<Rule> r, String category, String... owners) {
        for (String owner : owners) {
            r.add(new Rule(category, owner, null, null, false));
        }
    }

    private static void members(List<Rule> r, String category, String owner, String... names) {
        for (String name : names) {
            r.add(new Rule(category, owner, name, null, false));
        }
    }

    private static void constructor(List<Rule> r, String category, String owner, String descriptorPrefix) {
        r.add(new Rule(category, owner, "<init>", descriptorPrefix, false));
    }
}

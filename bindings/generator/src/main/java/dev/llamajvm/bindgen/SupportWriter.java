package dev.llamajvm.bindgen;

/**
 * Writes {@code GeneratedSupport}, the package-private helpers every generated class shares: the
 * linker, symbol resolution, upcall handles and variadic calls.
 */
final class SupportWriter {

    /**
     * @param lookupExpression a Java expression of type SymbolLookup, evaluated once, or null for
     *                         the libraries loaded by this class loader plus the C library
     */
    String write(String fileHeader, String lookupExpression) {
        String lookup = lookupExpression != null ? lookupExpression
                : "SymbolLookup.loaderLookup().or(LINKER.defaultLookup())";
        return fileHeader + """
                /** Helpers shared by the generated classes of this package. */
                final class GeneratedSupport {

                    private GeneratedSupport() {
                    }

                    static final Linker LINKER = Linker.nativeLinker();

                    /** Resolved on first use, so loading the natives can wait until a function is called. */
                    private static final class Symbols {
                        static final SymbolLookup LOOKUP = %s;
                    }

                    static MemorySegment findOrThrow(String symbol) {
                        return Symbols.LOOKUP.find(symbol)
                                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved native symbol: " + symbol));
                    }

                    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
                        try {
                            return java.lang.invoke.MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
                        } catch (ReflectiveOperationException ex) {
                            throw new AssertionError(ex);
                        }
                    }

                    /** Calls a variadic function; each extra argument's C type follows from its Java class. */
                    static Object invokeVariadic(MemorySegment address, FunctionDescriptor fixed, Object[] varargs,
                                                 Object... fixedArgs) {
                        MemoryLayout[] extra = new MemoryLayout[varargs.length];
                        Object[] args = new Object[fixedArgs.length + varargs.length];
                        System.arraycopy(fixedArgs, 0, args, 0, fixedArgs.length);
                        for (int i = 0; i < varargs.length; i++) {
                            Object arg = varargs[i];
                            // C promotes float to double and small integers to int in a variadic call.
                            if (arg instanceof Float f) arg = f.doubleValue();
                            if (arg instanceof Short || arg instanceof Byte) arg = ((Number) arg).intValue();
                            extra[i] = switch (arg) {
                                case Integer ignored -> JAVA_INT;
                                case Long ignored -> JAVA_LONG;
                                case Double ignored -> JAVA_DOUBLE;
                                case MemorySegment ignored -> ADDRESS;
                                case null, default -> throw new IllegalArgumentException(
                                        "variadic argument " + i + " must be Integer, Long, Double or MemorySegment, not " + arg);
                            };
                            args[fixedArgs.length + i] = arg;
                        }
                        MethodHandle handle = LINKER.downcallHandle(address, fixed.appendArgumentLayouts(extra),
                                Linker.Option.firstVariadicArg(fixedArgs.length));
                        try {
                            return handle.invokeWithArguments(args);
                        } catch (Error | RuntimeException ex) {
                            throw ex;
                        } catch (Throwable ex) {
                            throw new AssertionError("should not reach here", ex);
                        }
                    }
                }
                """.formatted(lookup);
    }
}

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Build step of the distribution: {@code java UpgradeClassfiles.java IN.jar OUT.jar} (ASM on the class
 * path) copies a library jar, rewriting every class file older than Java 6 (major version below 50)
 * as a Java 8 class file with stack map frames computed by ASM. Nothing else changes: same entries,
 * same bytecode, same manifest.
 *
 * <p>Why: picocli is compiled for Java 5. The JVM verifies such classes with the old inferencing
 * verifier at every start and never keeps them linked in its start-up cache (the training run logs
 * "Skipping picocli/…: Old class has been linked"), so every command loaded and verified about 170
 * picocli classes from the jar: 60-80 ms of each start on the reference machine.
 *
 * <p>Safety: a class that uses {@code jsr}/{@code ret} (not allowed from Java 7's format on) stops
 * the build. After writing, every rewritten class is loaded and initialized from the new jar in a
 * fresh class loader, which runs the JVM's own type-checking verifier on it; a {@link VerifyError}
 * stops the build, so a wrong frame can never reach the distribution.
 */
public final class UpgradeClassfiles {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: UpgradeClassfiles IN.jar OUT.jar");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        List<String> upgraded = new ArrayList<>();
        try (URLClassLoader original = new URLClassLoader(new URL[] {in.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             ZipInputStream zin = new ZipInputStream(Files.newInputStream(in));
             OutputStream os = Files.newOutputStream(tmp);
             ZipOutputStream zout = new ZipOutputStream(os)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                byte[] b = zin.readAllBytes();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/") && major(b) < JAVA_6) {
                    b = upgrade(b, original);
                    upgraded.add(e.getName().substring(0, e.getName().length() - ".class".length()).replace('/', '.'));
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                zout.write(b);
                zout.closeEntry();
            }
        }
        verify(tmp, upgraded);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeClassfiles: " + upgraded.size() + " classes of " + in.getFileName() + " rewritten as Java 8 class files");
    }

    private static int major(byte[] b) {
        return ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }

    private static byte[] upgrade(byte[] b, ClassLoader types) {
        ClassReader r = new ClassReader(b);
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return types; // the library's own classes, for the common super types of frames
            }
        };
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                String where = r.getClassName() + "." + name;
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, signature, exceptions)) {
                    @Override
                    public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                        if (opcode == Opcodes.JSR) {
                            throw new IllegalStateException(where + " uses jsr, which a Java 8 class file cannot hold");
                        }
                        super.visitJumpInsn(opcode, label);
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        if (opcode == Opcodes.RET) {
                            throw new IllegalStateException(where + " uses ret, which a Java 8 class file cannot hold");
                        }
                        super.visitVarInsn(opcode, var);
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
        return w.toByteArray();
    }

    /** Loads and initializes every rewritten class, so the JVM's verifier checks each one. */
    private static void verify(Path jar, List<String> classes) throws IOException {
        try (URLClassLoader l = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String c : classes) {
                try {
                    Class.forName(c, true, l);
                } catch (VerifyError | ClassFormatError e) {
                    Files.deleteIfExists(jar);
                    throw new IllegalStateException("the rewritten " + c + " does not verify: " + e, e);
                } catch (LinkageError | ClassNotFoundException | RuntimeException e) {
                    // not a bytecode problem (an optional class missing, an initializer that needs a terminal)
                }
            }
        }
    }

    private UpgradeClassfiles() {
    }
}

package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client's public API names no type of the libraries it uses inside (generated protobuf
 * classes, Netty) nor of its {@code internal} package, so that applications compile against it
 * whatever versions of those they use themselves.
 */
class PublicApiTest {
  private static final List<String> FORBIDDEN_PREFIXES =
      List.of("com.google.protobuf.", "io.drover.protocol.", "io.netty.", "io.drover.client.internal.");

  @Test
  void publicSignaturesMentionNoProtobufNettyOrInternalType() throws Exception {
    List<Class<?>> api = publicTypes();
    assertThat(api).contains(DroverClient.class, Job.Builder.class, TaskStatus.class, JobOutcome.class);

    List<String> leaks = new ArrayList<>();
    for (Class<?> type : api) {
      check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
      for (Type i : type.getGenericInterfaces()) {
        check(type.getName() + " implements", i, leaks);
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        checkExecutable(c, leaks);
      }
      for (Method m : type.getDeclaredMethods()) {
        checkExecutable(m, leaks);
      }
      for (Field f : type.getDeclaredFields()) {
        if (exposed(f)) {
          check(where(f), f.getGenericType(), leaks);
        }
      }
      if (type.isRecord()) {
        for (RecordComponent rc : type.getRecordComponents()) {
          check(type.getName() + " component " + rc.getName(), rc.getGenericType(), leaks);
        }
      }
    }
    assertThat(leaks).as("public signatures naming implementation types").isEmpty();
  }

  /** Every public class of {@code io.drover.client}, nested ones included, read from the classes directory. */
  private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir = Path.of(DroverClient.class.getResource("DroverClient.class").toURI()).getParent();
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String simple = f.getFileName().toString().replace(".class", "");
        if (simple.equals("package-info")) {
          continue;
        }
        Class<?> type = Class.forName(DroverClient.class.getPackageName() + '.' + simple);
        if (isPublicApi(type)) {
          types.add(type);
        }
      }
    }
    return types;
  }

  private static boolean isPublicApi(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static void checkExecutable(Executable e, List<String> leaks) {
    if (!exposed(e) || e.isSynthetic()) {
      return;
    }
    String where = where(e);
    for (Type p : e.getGenericParameterTypes()) {
      check(where + " parameter", p, leaks);
    }
    for (Type x : e.getGenericExceptionTypes()) {
      check(where + " throws", x, leaks);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      check(where + " type parameter", v, leaks);
    }
    if (e instanceof Method m) {
      check(where + " returns", m.getGenericReturnType(), leaks);
    }
  }

  private static boolean exposed(Member m) {
    int modifiers = m.getModifiers();
    return Modifier.isPublic(modifiers)
        || (Modifier.isProtected(modifiers) && !Modifier.isFinal(m.getDeclaringClass().getModifiers()));
  }

  private static String where(Member m) {
    return m.getDeclaringClass().getName() + '.' + (m instanceof Constructor ? "<init>" : m.getName());
  }

  private static void check(String where, Type type, List<String> leaks) {
    if (type == null) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      if (FORBIDDEN_PREFIXES.stream().anyMatch(name::startsWith)) {
        leaks.add(where + ": " + name);
      }
    } else if (type instanceof ParameterizedType p) {
      check(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) {
        check(where, a, leaks);
      }
    } else if (type instanceof WildcardType w) {
      Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
          .forEach(b -> check(where, b, leaks));
    } else if (type instanceof GenericArrayType a) {
      check(where, a.getGenericComponentType(), leaks);
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        check(where, b, leaks);
      }
    }
  }
}

package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifierTest {

  @Test
  void normalizesPerType() {
    assertThat(Identifier.of(" EMAIL ", "  Jane.Doe@Example.COM ").value())
        .isEqualTo("jane.doe@example.com");
    assertThat(Identifier.of("email", "x@y.z").type()).isEqualTo("email");
    assertThat(Identifier.of("phone", " +44 (0)20 7946-0958 ").value()).isEqualTo("+4402079460958");
    assertThat(Identifier.of("phone", "020 7946 0958").value()).isEqualTo("02079460958");
    assertThat(Identifier.of("user_id", "  U-1 ").value()).isEqualTo("U-1");
    assertThat(Identifier.of("Salesforce_ID", "0031x").type()).isEqualTo("salesforce_id");
    assertThat(Identifier.of("email", "A@B.C")).isEqualTo(Identifier.of("email", " a@b.c"));
  }

  @Test
  void refusesWhatCannotIdentify() {
    assertThatThrownBy(() -> Identifier.of("user_id", "   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identifier user_id has no usable value: '   '");
    assertThatThrownBy(() -> Identifier.of(" ", "x")).hasMessage("identifier type is blank");
    assertThatThrownBy(() -> Identifier.of("user id", "x"))
        .hasMessage("identifier type may hold only letters, digits, '_', '-' and '.': 'user id'");
    assertThatThrownBy(() -> new Identifier("email", "A@b.c"))
        .hasMessage("identifier value is not normalized for type email: 'A@b.c'; use"
            + " Identifier.of(type, value)");
  }

  @Test
  void printsAsTypeColonValue() {
    assertThat(Identifier.of("email", "a@b.c")).hasToString("email:a@b.c");
  }
}

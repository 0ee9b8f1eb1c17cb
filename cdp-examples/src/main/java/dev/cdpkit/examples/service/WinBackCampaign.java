package dev.cdpkit.examples.service;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Cdp;
import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import java.util.List;
import java.util.TreeSet;

/**
 * A consuming service's own logic on top of cdpkit, as a host application would write it: a
 * win-back campaign for paying customers who stopped using the product. Its unit test
 * ({@code WinBackCampaignTest}) runs it on an in-memory {@code Cdp} with a fixed clock.
 *
 * <p>Thread-safe, as the {@code Cdp} it uses.
 */
public final class WinBackCampaign {
  /** Paying, lapsed for 30 days, reachable by email, and not mailed this week. */
  public static final String LAPSED = "plan in (\"pro\", \"enterprise\")"
      + " and count(\"Feature Used\" within 30d) = 0"
      + " and consented \"marketing\" and has email"
      + " and count(\"Email Sent\" within 7d) = 0";

  private final Cdp cdp;

  /** The campaign on a {@code Cdp}; defines its segment there. */
  public WinBackCampaign(Cdp cdp) {
    this.cdp = requireNonNull(cdp, "cdp");
    cdp.defineSegment("win_back", LAPSED);
  }

  /** The emails to send the win-back offer to now, sorted. */
  public List<String> recipients() {
    TreeSet<String> emails = new TreeSet<>();
    cdp.segment("win_back").orElseThrow().profiles()
        .map(Profile::identifiers)
        .forEach(ids -> ids.stream().filter(i -> i.type().equals(Identifier.EMAIL))
            .forEach(i -> emails.add(i.value())));
    return List.copyOf(emails);
  }

  /** Records that the offer went out to {@code email} (which keeps them out for a week). */
  public void sent(String email) {
    cdp.recordContact(Identifier.of(Identifier.EMAIL, email), "email");
  }
}

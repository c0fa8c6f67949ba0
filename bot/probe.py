"""`python -m bot.probe`: exit 0 when the running bot's /healthz says OK (a container's
health check); 1 when it is unhealthy or does not answer; 2 when HTTP_PORT is not set."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.settings import load_or_exit


def main() -> int:
    settings = load_or_exit()
    if settings.http_port is None:
        print("HTTP_PORT is not set: the bot serves no /healthz.", file=sys.stderr)
        return 2
    # Listening on every interface includes this machine's loopback.
    host = "127.0.0.1" if settings.http_listen in ("0.0.0.0", "::", "") else settings.http_listen  # noqa: S104
    url = f"http://{host}:{settings.http_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.read().decode().strip())
            return 0
    except urllib.error.HTTPError as error:
        print(error.read().decode().strip(), file=sys.stderr)
    except OSError as error:
        print(f"no answer from {url}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

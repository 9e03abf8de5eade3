"""A person's phone in tests: Chromium at phone size, recording every answer it receives."""

from __future__ import annotations

from PIL import Image

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "pt-BR"}


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(line.strip() for line in text.splitlines() if "/t/" in line)


def jpeg_file(tmp_path) -> str:
    path = tmp_path / "painel.jpg"
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(path, "JPEG")
    return str(path)


def mp4_file(tmp_path) -> str:
    path = tmp_path / "ruido.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 50_000)
    return str(path)


class Phone:
    """One person's browser: every answer it receives is recorded (a 5xx fails the test)."""

    def __init__(self, browser) -> None:
        self.page = browser.new_context(**PHONE).new_page()
        self.statuses: list[tuple[int, str]] = []
        self.dialogs: list[str] = []
        self.taken: list[str] = []
        self.page.on("response", lambda r: self.statuses.append((r.status, r.url)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str) -> None:
        self.page.goto(url)

    def fill(self, action: str, text: str, field: str = "textarea") -> None:
        self.page.locator(f'form[action$="/{action}"] {field}').last.fill(text)

    def submit(self, action: str) -> str:
        """Click the action's button; the text of the notice on the page it lands on."""
        self.page.locator(f'form[action$="/{action}"] button[type=submit]').last.click()
        self.page.wait_for_load_state("load")
        self.taken.append(action)
        return self.notice()

    def notice(self) -> str:
        return self.page.text_content(".notice") or ""

    def attach(self, action: str, files: list[str], timeout: int = 20_000) -> list[str]:
        self.page.set_input_files(f'form[action$="/{action}"] input[type=file]', files)
        return self.uploads_settled(action, len(files), timeout)

    def uploads_settled(self, action: str, count: int, timeout: int = 20_000) -> list[str]:
        """Wait until the form's `count` files are accepted, refused or stalled: their states."""
        self.page.wait_for_function(
            f"""() => {{
                const items = document.querySelectorAll('form[action$="/{action}"] ul.uploads li');
                return items.length === {count}
                    && [...items].every(i => ["accepted", "refused", "stalled"]
                        .includes(i.dataset.state));
            }}""",
            timeout=timeout,
        )
        return self.page.eval_on_selector_all(
            f'form[action$="/{action}"] ul.uploads li', "items => items.map(i => i.dataset.state)"
        )

    def server_errors(self) -> list[tuple[int, str]]:
        return [(status, url) for status, url in self.statuses if status >= 500]

"""The managers' console: signing in with Google (here the stand-in issuer, trusted only when
the development setting names it), the session and its end, and the dashboard's figures, which
are the SLA report's for the same period and filters."""

from __future__ import annotations

import re
import socket
import uuid

import pytest

from shared.repositories.firestore import PEOPLE
from tests.integration.conftest import (
    REQUESTER,
    degraded_robot,
    incident,
    make_client,
    post_ticket,
)
from tests.integration.phone import Phone
from tools.dev_issuer import StandInIssuer
from tools.stack import ROOT

CLIENT = "helpdesk-dev-console.apps.googleusercontent.com"
MANAGER = "ricardo.almeida@metalvale.com.br"
HEAD = "carlos.mendes@metalvale.com.br"  # an agent who heads Manutenção Mecânica
BASE = "https://console.example.test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cookie(client, name: str):
    return client.get_cookie(name, domain="console.example.test")


def sign_in(client, token: str):
    client.get("/sign-in", base_url=BASE)
    state = cookie(client, "g_csrf_token").value
    return client.post("/auth", data={"credential": token, "g_csrf_token": state}, base_url=BASE)


def test_a_manager_signs_in_reads_the_dashboard_and_signs_out_for_good(console, issuer, intake, db):
    for _ in range(2):
        post_ticket(intake, incident(submission_id=f"console-{uuid.uuid4().hex}"))
    page = console.get("/", base_url=BASE)
    assert page.status_code == 303  # not signed in: to the sign-in page
    signin = console.get("/sign-in", base_url=BASE).get_data(as_text=True)
    assert "Entrar com o Google (substituto local)" in signin
    done = sign_in(console, issuer.token(MANAGER, CLIENT))
    assert done.status_code == 303
    header = next(
        h for h in done.headers.getlist("Set-Cookie") if h.startswith("helpdesk_console=")
    )
    assert "HttpOnly" in header
    assert "Secure" in header
    assert "SameSite=Lax" in header
    dashboard = console.get("/", base_url=BASE)
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert "Painel" in html
    assert "Ricardo Almeida" in html
    assert "script-src" not in dashboard.headers["Content-Security-Policy"]  # no script
    opened = int(re.search(r'id="opened">([\d.]+)<', html).group(1).replace(".", ""))
    assert opened == _report_tickets(db)  # the report's own figure for the same month
    assert 'data-status="assigned">' in html

    stolen = cookie(console, "helpdesk_console").value
    forged = console.post("/sign-out", data={"csrf": "x"}, base_url=BASE)
    assert forged.status_code == 403  # without its CSRF token, a form changes nothing
    assert console.get("/", base_url=BASE).status_code == 200  # still signed in
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    out = console.post("/sign-out", data={"csrf": csrf}, base_url=BASE)
    assert out.status_code == 303
    assert "Você saiu do painel." in console.get(out.headers["Location"], base_url=BASE).get_data(
        as_text=True
    )
    console.set_cookie("helpdesk_console", stolen, domain="console.example.test")
    assert console.get("/", base_url=BASE).status_code == 303  # the cookie, replayed: refused


def _report_tickets(db) -> int:
    from shared.bootstrap import console_services
    from shared.console.handlers import today_in
    from shared.reports.sla.query import parse_report_query

    app = console_services()
    query = parse_report_query({"format": "json"}, today_in(app))
    return app.figures.report(query, "pt-BR").figures["overall"]["tickets"]


def test_a_signed_in_manager_reads_the_agreements(console, issuer):
    assert console.get("/agreements", base_url=BASE).status_code == 401  # signed out
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    html = console.get("/agreements", base_url=BASE).get_data(as_text=True)
    assert "Acordos de atendimento (SLA)" in html
    assert "Incidente — linha de produção parada" in html
    assert "A central se compromete a" in html


def test_a_session_ends_when_the_person_becomes_inactive(console, issuer, db):
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    assert console.get("/", base_url=BASE).status_code == 200
    db.collection(PEOPLE).document(MANAGER).update({"active": False})
    try:
        assert console.get("/", base_url=BASE).status_code == 303
    finally:
        db.collection(PEOPLE).document(MANAGER).update({"active": True})
    assert console.get("/", base_url=BASE).status_code == 303  # the session ended for good


@pytest.mark.parametrize(
    ("token", "says"),
    [
        (lambda i, o: o.token(MANAGER, CLIENT), "O login não é válido"),  # forged: other keys
        (lambda i, o: i.token(MANAGER, CLIENT, issued_at=0), "O login expirou"),
        (lambda i, o: i.token(MANAGER, "other.apps.googleusercontent.com"), "não é válido"),
        (lambda i, o: i.token("ricardo@gmail.com", CLIENT, hd=""), "conta Google da organização"),
        (lambda i, o: i.token(REQUESTER, CLIENT), "gestores e chefes de departamento ativos"),
    ],
)
def test_a_token_that_does_not_name_a_manager_is_refused(console, issuer, token, says):
    other = StandInIssuer(issuer.url)
    refused = sign_in(console, token(issuer, other))
    assert refused.status_code == 403
    assert says in refused.get_data(as_text=True)
    assert cookie(console, "helpdesk_console") is None
    assert console.get("/", base_url=BASE).status_code == 303


def test_a_sign_in_without_its_csrf_token_or_from_the_stand_in_in_production_is_refused(
    console, issuer, monkeypatch
):
    from shared.bootstrap import console_services

    token = issuer.token(MANAGER, CLIENT)
    bare = console.post("/auth", data={"credential": token}, base_url=BASE)
    assert bare.status_code == 403
    monkeypatch.delenv("HELPDESK_DEV_ISSUER_URL")
    from shared.bootstrap import services

    services.cache_clear()
    console_services.cache_clear()
    production = make_client("console")
    signin = production.get("/sign-in", base_url=BASE)
    assert "accounts.google.com/gsi/client" in signin.get_data(as_text=True)
    refused = sign_in(production, token)
    assert refused.status_code == 403  # the stand-in's keys are nobody's here
    assert cookie(production, "helpdesk_console") is None


def test_a_department_head_sees_only_their_department(console, issuer):
    assert sign_in(console, issuer.token(HEAD, CLIENT)).status_code == 303
    html = console.get("/?department=usinagem", base_url=BASE).get_data(as_text=True)
    select = html.split('id="f-department"')[1].split("</select>")[0]
    assert "Manutenção Mecânica" in select
    assert "Usinagem" not in select
    assert 'value="manutencao-mecanica" selected' in select


def test_in_the_browser_a_manager_signs_in_filters_the_dashboard_and_signs_out(
    console_server, browser, intake
):
    post_ticket(intake, incident(submission_id=f"console-{uuid.uuid4().hex}"))
    url = console_server
    manager = Phone(browser)
    manager.open(url + "/")
    assert serious_violations(manager.page) == []  # the sign-in page
    sign_in_in_browser(manager, url, MANAGER)
    assert "Ricardo Almeida" in manager.page.text_content("header")
    assert serious_violations(manager.page) == []
    assert manager.page.locator("svg.chart").count() == 2  # the trend and the Pareto
    manager.page.select_option("#f-area", "manutencao")
    manager.page.get_by_role("button", name="Filtrar").click()
    manager.page.wait_for_load_state("load")
    assert "area=manutencao" in manager.page.url
    assert manager.page.locator("#f-area").input_value() == "manutencao"
    manager.page.get_by_role("link", name="Acordos de atendimento (SLA)").click()
    manager.page.wait_for_load_state("load")
    assert "A central se compromete a" in manager.page.text_content("main")
    assert serious_violations(manager.page) == []
    manager.page.get_by_role("button", name="Sair").click()
    manager.page.wait_for_load_state("load")
    assert "Você saiu do painel." in manager.page.text_content("main")
    manager.open(url + "/")
    assert manager.page.url.endswith("/sign-in")  # signed out: the dashboard asks again
    assert manager.server_errors() == []
    assert manager.dialogs == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as shown (WCAG 2.1 AA)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser, not a <script>
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


def test_tickets_are_found_by_number_word_person_and_asset_within_ones_departments(
    console, issuer, intake
):
    stopped = post_ticket(
        intake,
        incident(
            submission_id=f"search-{uuid.uuid4().hex}",
            title="Prensa hidráulica com vazamento",
            description="Óleo no piso perto da máquina; o operador parou a linha.",
        ),
    ).json
    electrical = degraded_robot(intake, f"search-{uuid.uuid4().hex}")  # Manutenção Elétrica
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303

    def found(q: str) -> list[str]:
        html = console.get("/tickets", query_string={"q": q}, base_url=BASE).get_data(as_text=True)
        return re.findall(r"<strong>((?:INC|REQ)-\d+)</strong>", html)

    assert found("maquina vazamento") == [stopped["number"]]  # accents folded, both words
    assert found("HIDRÁULICA") == [stopped["number"]]
    assert found(stopped["number"]) == [stopped["number"]]
    assert found(str(int(stopped["number"].split("-")[1]))) == [stopped["number"]]
    assert stopped["number"] in found("Lucas")  # the requester, by name
    assert stopped["number"] in found("CNC-01")  # the asset's tag
    assert found("xyzzy") == []
    assert found("tensao") == [electrical["number"]]  # "Queda de tensão"
    row = console.get("/tickets", query_string={"q": "vazamento"}, base_url=BASE)
    link = re.search(r'href="[^"]*(/t/[^"]+)"', row.get_data(as_text=True)).group(1)
    assert link  # the ticket's page, signed for the manager
    sheet = console.get("/tickets.csv", query_string={"q": "vazamento"}, base_url=BASE)
    assert sheet.status_code == 200
    assert sheet.headers["Content-Type"].startswith("text/csv")
    lines = sheet.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Número;Tipo;Situação;Prioridade")  # the reader's words and ";"
    assert len(lines) == 2
    assert lines[1].startswith(f"{stopped['number']};Incidente;Atribuído;Crítica;")
    assert ";Manutenção Mecânica;" in lines[1]  # the department by its name
    console.post("/sign-out", data={"csrf": "x"}, base_url=BASE)

    head = make_client("console")
    assert sign_in(head, issuer.token(HEAD, CLIENT)).status_code == 303
    html = head.get("/tickets", query_string={"q": "vazamento"}, base_url=BASE)
    assert stopped["number"] in html.get_data(as_text=True)  # his department's
    other = head.get("/tickets", query_string={"q": "tensao"}, base_url=BASE)
    assert electrical["number"] not in other.get_data(as_text=True)  # another department's
    assert "Nenhum chamado encontrado." in other.get_data(as_text=True)
    sheet = head.get("/tickets.csv", query_string={"q": "tensao"}, base_url=BASE)
    assert sheet.get_data(as_text=True).lstrip("\ufeff").splitlines()[1:] == []


def sign_in_in_browser(phone: Phone, url: str, email: str) -> None:
    """Through the stand-in issuer's pages, as a person signs in with Google."""
    phone.open(url + "/")
    phone.page.get_by_role("link", name="Entrar com o Google (substituto local)").click()
    phone.page.fill("input[name=email]", email)
    phone.page.get_by_role("button", name="Continuar").click()
    phone.page.get_by_role("button", name="Entrar").click()
    phone.page.wait_for_load_state("load")
    assert phone.page.locator("h1").text_content() == "Painel"

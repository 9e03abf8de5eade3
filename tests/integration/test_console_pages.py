"""The console's other pages: the tickets' filters, the reports (downloaded at once, or queued
with their progress shown), the assets (the registry, an asset's figures and chart, its
editing), and the dashboard's figures equal to the report's JSON for the same period and
filters."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest

from shared.auth.managers import key_digest
from shared.repositories.firestore import ASSETS
from tests.integration.conftest import degraded_robot, incident, make_client, post_ticket
from tests.integration.phone import Phone
from tests.integration.test_console import (
    BASE,
    CLIENT,
    HEAD,
    MANAGER,
    serious_violations,
    sign_in,
    sign_in_in_browser,
)

KEY = "manager-key-ricardo-console-0123456789"


def tickets_listed(client, **args) -> list[str]:
    html = client.get("/tickets", query_string=args, base_url=BASE).get_data(as_text=True)
    return re.findall(r"<strong>((?:INC|REQ)-\d+)</strong>", html)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_tickets_are_filtered_by_status_sla_people_and_the_reports_filters(console, issuer, intake):
    stopped = post_ticket(intake, incident(submission_id=f"filter-{uuid.uuid4().hex}")).json
    robot = degraded_robot(intake, f"filter-{uuid.uuid4().hex}", "mariana.rocha@metalvale.com.br")
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303

    by_requester = tickets_listed(console, requester="Mariana.Rocha@metalvale.com.br")
    assert robot["number"] in by_requester
    assert stopped["number"] not in by_requester
    critical = tickets_listed(console, priority="critical", type="incident")
    assert stopped["number"] in critical
    assert robot["number"] not in critical
    on_time = tickets_listed(console, sla="on_time", status="assigned")
    assert stopped["number"] in on_time
    assert tickets_listed(console, sla="breached", requester=stopped["requester"]["email"]) == []
    electrical = tickets_listed(console, department="manutencao-eletrica")
    assert robot["number"] in electrical
    assert stopped["number"] not in electrical
    assert stopped["number"] in tickets_listed(console, asset="CNC-01", q="spindle")

    wrong = console.get(
        "/tickets", query_string={"priority": "urgentissima", "q": "alarme"}, base_url=BASE
    )
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "Estes filtros não são válidos: Prioridade" in html
    assert 'value="alarme"' in html  # what was typed, kept
    assert re.findall(r"<strong>((?:INC|REQ)-\d+)</strong>", html) == []

    sheet = console.get(
        "/tickets.csv", query_string={"requester": "mariana.rocha@metalvale.com.br"}, base_url=BASE
    )
    rows = list(
        csv.DictReader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert robot["number"] in {row["Número"] for row in rows}
    assert {row["Solicitante"] for row in rows} == {"mariana.rocha@metalvale.com.br"}


@pytest.fixture
def reports_key(monkeypatch):
    from shared.bootstrap import report_services

    monkeypatch.setenv("HELPDESK_MANAGER_KEYS", json.dumps({key_digest(KEY): MANAGER}))
    report_services.cache_clear()
    yield make_client("reports")
    report_services.cache_clear()


@pytest.mark.parametrize("filters", [{}, {"area": "manutencao"}, {"priority": "critical"}])
def test_the_dashboard_shows_the_reports_own_figures_for_the_same_period_and_filters(
    console, issuer, intake, reports_key, filters
):
    post_ticket(intake, incident(submission_id=f"equal-{uuid.uuid4().hex}"))
    degraded_robot(intake, f"equal-{uuid.uuid4().hex}")
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    html = console.get("/", query_string=filters, base_url=BASE).get_data(as_text=True)
    start = re.search(r'id="from" name="from" type="date" value="([^"]+)"', html).group(1)
    end = re.search(r'id="to" name="to" type="date" value="([^"]+)"', html).group(1)
    args = {"from": start, "to": end, "format": "json", **filters}
    report = reports_key.get("/sla", query_string=args, headers={"X-Helpdesk-Key": KEY}).json
    overall = report["overall"]

    def shown(element: str) -> str:
        return re.search(rf'id="{element}">([^<]*)<', html).group(1)

    assert int(shown("opened").replace(".", "")) == overall["tickets"]
    assert int(shown("open").replace(".", "")) == overall["open"]
    assert int(shown("cancelled").replace(".", "")) == overall["cancelled"]
    for clock in ("response", "resolution"):
        percent = overall[clock]["compliance_percent"]
        expected = "—" if percent is None else f"{percent:.1f}".replace(".", ",") + "%"
        assert shown(f"{clock}-compliance") == expected
    assert int(shown("period-breached")) == report["breached"]["count"]


def test_a_period_downloads_as_pdf_and_csv_and_a_long_one_is_queued_with_its_progress(
    console, issuer, intake, paused_queue, db
):
    from shared.bootstrap import report_services

    report_services.cache_clear()
    stopped = post_ticket(intake, incident(submission_id=f"report-{uuid.uuid4().hex}")).json
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    form = console.get("/reports", base_url=BASE)
    assert form.status_code == 200
    assert "Baixar relatório (PDF)" in form.get_data(as_text=True)
    day = stopped["created_at"][:10]
    pdf = console.get(
        "/reports/download",
        query_string={"from": day, "to": day, "format": "pdf", "area": "producao"},
        base_url=BASE,
    )
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert f'filename="relatorio-sla-{day}-{day}.pdf"' in pdf.headers["Content-Disposition"]
    sheet = console.get(
        "/reports/download", query_string={"from": day, "to": day, "format": "csv"}, base_url=BASE
    )
    assert sheet.headers["Content-Type"].startswith("text/csv")
    numbers = [
        row["number"]
        for row in csv.DictReader(
            io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
        )
    ]
    assert stopped["number"] in numbers

    bad = console.get(
        "/reports/download", query_string={"from": "2026-13-01", "to": day}, base_url=BASE
    )
    assert bad.status_code == 400
    assert "O período não é válido" in bad.get_data(as_text=True)
    assert 'value="2026-13-01"' in bad.get_data(as_text=True)  # what was typed, kept

    year = {"from": "2026-01-01", "to": "2026-11-30", "format": "pdf", "priority": "critical"}
    long = console.get("/reports/download", query_string=year, base_url=BASE)
    assert long.status_code == 200
    html = long.get_data(as_text=True)
    assert "Este período tem 334 dias" in html
    jobs = db.collection("report_jobs")
    before = {doc.id for doc in jobs.stream()}
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', html))
    forged = console.post("/reports/jobs", data={**fields, "csrf": "x"}, base_url=BASE)
    assert forged.status_code == 403
    assert {doc.id for doc in jobs.stream()} == before  # without its token, nothing queued
    queued = console.post("/reports/jobs", data=fields, base_url=BASE)
    assert queued.status_code == 303
    page = console.get(queued.headers["Location"], base_url=BASE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'aria-current="step">Na fila' in text
    assert 'http-equiv="refresh"' in text
    job_id = queued.headers["Location"].rsplit("/", 1)[1]
    assert jobs.document(job_id).get().to_dict()["args"]["priority"] == "critical"

    head = make_client("console")
    assert sign_in(head, issuer.token(HEAD, CLIENT)).status_code == 303
    assert head.get(queued.headers["Location"], base_url=BASE).status_code == 404  # not his


def test_a_queued_report_shows_its_links_when_ready(
    notifications_env, console, issuer, paused_queue
):
    smtp_inbox = notifications_env
    from google.cloud import tasks_v2

    from shared.bootstrap import report_services
    from tests.integration.conftest import TIMER_SECRET

    report_services.cache_clear()
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    year = {"from": "2025-12-01", "to": "2026-11-30", "csrf": ""}
    html = console.get("/reports", base_url=BASE).get_data(as_text=True)
    year["csrf"] = csrf_of(html)
    queued = console.post("/reports/jobs", data=year, base_url=BASE)
    assert queued.status_code == 303
    client, queue = paused_queue
    request = tasks_v2.ListTasksRequest(parent=queue, response_view=tasks_v2.Task.View.FULL)
    (task,) = client.list_tasks(request=request)
    reports = make_client("reports")
    headers = {"X-Helpdesk-Timer-Secret": TIMER_SECRET, "Content-Type": "application/json"}
    done = reports.post("/jobs", data=task.http_request.body, headers=headers)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["outcome"] == "sent"
    page = console.get(queued.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert 'aria-current="step">Pronto' in page
    assert 'http-equiv="refresh"' not in page
    links = re.findall(r'class="primary" href="([^"]+)"', page)
    assert len(links) == 2
    import requests

    assert requests.get(links[0].replace("&amp;", "&"), timeout=10).content.startswith(b"%PDF")
    mails = smtp_inbox.to(MANAGER)
    assert len(mails) == 1  # and by e-mail, once, with the console's address
    assert (
        "Painel dos gestores: https://console.example.test/"
        in mails[0].get_body(("plain",)).get_content()
    )


def test_the_asset_registry_an_assets_figures_and_its_editing(console, issuer, intake, db):
    stopped = post_ticket(intake, incident(submission_id=f"asset-{uuid.uuid4().hex}")).json
    assert sign_in(console, issuer.token(MANAGER, CLIENT)).status_code == 303
    registry = console.get("/assets", base_url=BASE).get_data(as_text=True)
    assert "CNC-01" in registry
    assert "Centro de usinagem vertical Romi D800" in registry
    page = console.get("/assets/CNC-01", base_url=BASE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tempo médio de reparo (MTTR)" in html
    assert "Disponibilidade" in html
    assert html.count('<svg class="chart"') == 1  # the Pareto of incident categories
    assert stopped["number"] in html  # the history

    csrf = csrf_of(html)
    before = db.collection(ASSETS).document("CNC-01").get().to_dict()
    form = {
        "csrf": csrf,
        "name": "Centro de usinagem Romi D800 (revisado)",
        "kind": "fixed_asset",
        "location": "Galpão A",
        "area": "producao",
        "responsible": "carlos.mendes@metalvale.com.br",
        "loss_rate_per_hour": "3.500,00",
        "currency": "BRL",
        "in_service_since": "2019-03-11",
        "status": "in_service",
    }
    assert 'name="loss_rate_per_hour" inputmode="decimal" maxlength="20" value="3.200,00"' in html
    wrong = console.post(
        "/assets/CNC-01",
        data={**form, "loss_rate_per_hour": "abc", "currency": "reais", "responsible": "x@y.z"},
        base_url=BASE,
    )
    assert wrong.status_code == 400
    said = wrong.get_data(as_text=True)
    assert "O ativo não foi salvo. Confira: Perda por hora parada, Moeda (ex.: BRL)," in said
    assert "Responsável (e-mail)" in said  # every wrong field named at once
    assert 'value="Centro de usinagem Romi D800 (revisado)"' in said  # what was typed, kept
    assert db.collection(ASSETS).document("CNC-01").get().to_dict() == before  # nothing written
    forged = console.post("/assets/CNC-01", data={**form, "csrf": "x"}, base_url=BASE)
    assert forged.status_code == 403
    saved = console.post("/assets/CNC-01", data={**form, "currency": "brl"}, base_url=BASE)
    assert saved.status_code == 303
    after = console.get(saved.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert "Ativo salvo." in after
    assert "Centro de usinagem Romi D800 (revisado)" in after
    stored = db.collection(ASSETS).document("CNC-01").get().to_dict()
    assert stored["loss_rate_per_hour"] == "3500.00"  # "3.500,00", as a Brazilian writes it
    assert stored["currency"] == "BRL"
    new = {**form, "csrf": csrf, "tag": "CNC-01"}
    taken = console.post("/assets/new", data=new, base_url=BASE)
    assert taken.status_code == 400
    assert "Já existe um ativo com a etiqueta CNC-01" in taken.get_data(as_text=True)
    db.collection(ASSETS).document("CNC-01").set(before)

    head = make_client("console")
    assert sign_in(head, issuer.token(HEAD, CLIENT)).status_code == 303
    assert head.get("/assets/CNC-01", base_url=BASE).status_code == 403  # the managers'
    assert head.post("/assets/CNC-01", data=form, base_url=BASE).status_code == 403
    assert ">Ativos<" not in head.get("/", base_url=BASE).get_data(as_text=True)
    assert console.get("/assets/NAO-EXISTE", base_url=BASE).status_code == 404


def test_in_the_browser_a_manager_finds_transfers_reads_an_asset_and_downloads_a_period(
    served, console_server, browser, intake, tmp_path
):
    stopped = post_ticket(intake, incident(submission_id=f"browser-{uuid.uuid4().hex}")).json
    url = console_server
    manager = Phone(browser)
    sign_in_in_browser(manager, url, MANAGER)
    page = manager.page
    page.get_by_role("link", name="Chamados").first.click()
    page.wait_for_load_state("load")
    assert serious_violations(page) == []
    page.fill("#q", stopped["number"])  # by number
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state("load")
    assert page.locator("tbody tr").count() == 1
    page.fill("#q", "fuso")  # by a word of its description
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state("load")
    assert stopped["number"] in page.text_content("tbody")
    page.get_by_role("link", name=re.compile(stopped["number"])).click()
    page.wait_for_load_state("load")
    page.select_option('form[action$="/transfer"] select[name=department]', "manutencao-eletrica")
    manager.fill("transfer", "Falha no painel elétrico, não mecânica.")
    assert "Chamado transferido" in manager.submit("transfer")

    page.goto(url + "/assets")
    assert serious_violations(page) == []
    page.get_by_role("link", name=re.compile("CNC-01")).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").text_content().startswith("CNC-01")
    assert page.locator("svg.chart").count() == 1
    assert page.locator("#mttr").is_visible()
    assert serious_violations(page) == []

    page.goto(url + "/assets/new")
    assert page.locator("h1").text_content() == "Novo ativo"
    assert serious_violations(page) == []
    page.goto(url + "/nada-aqui")  # a page that is not there: a clear page, in Portuguese
    assert "Este link não é válido." in page.text_content("main")
    assert serious_violations(page) == []
    page.goto(url + "/")
    page.get_by_role("link", name="Relatórios").click()
    page.wait_for_load_state("load")
    assert serious_violations(page) == []
    day = stopped["created_at"][:10]
    page.fill("#from", day)
    page.fill("#to", day)
    page.select_option("#f-area", "producao")
    for label, start in (("Baixar relatório (PDF)", b"%PDF"), ("Baixar planilha (CSV)", b"")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(start)
        assert saved.name.startswith(f"relatorio-sla-{day}")
    page.get_by_role("button", name="Sair").click()
    page.wait_for_load_state("load")
    assert manager.server_errors() == []

    head = Phone(browser)
    sign_in_in_browser(head, url, HEAD)
    head.page.goto(url + "/tickets?q=fuso")
    assert stopped["number"] not in head.page.text_content("main")  # now Elétrica's
    options = head.page.locator("#f-department option").all_text_contents()
    assert options == ["Manutenção Mecânica"]
    assert serious_violations(head.page) == []
    assert head.server_errors() == []


def test_a_search_whose_matches_lie_past_its_reading_goes_on_with_its_next_page(
    intake, db, monkeypatch
):
    from shared.repositories import ticket_search

    monkeypatch.setattr(ticket_search, "BATCHES", 1)  # read one batch of candidates a page
    older = post_ticket(
        intake,
        incident(submission_id=f"far-{uuid.uuid4().hex}", description="Alarme com vazamento."),
    ).json
    for _ in range(3):  # newer candidates for the first word, without the second
        post_ticket(intake, incident(submission_id=f"near-{uuid.uuid4().hex}"))
    found, cursor, pages = [], None, 0
    while True:
        page = ticket_search.search(db, ["alarme", "vazamento"], None, 1, cursor)
        found += [row["number"] for row in page.rows]
        pages += 1
        cursor = page.next
        if cursor is None:
            break
    assert found == [older["number"]]  # found on a later page, not lost
    assert pages > 1

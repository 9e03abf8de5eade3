"""A ticket's life in a real browser, from the links in real e-mails, on a phone-sized screen.

Every page action of both roles is taken by clicking its button, and each test follows the
action to the page it lands on: the notice the person reads, in Portuguese, and never a 5xx.
"""

from __future__ import annotations

import uuid

from shared.actions.access import ACTIONS
from shared.repositories.tickets import FirestoreTickets
from tests.integration.conftest import (
    REQUESTER,
    deliver_event,
    event_paths,
    incident,
    make_client,
    post_ticket,
)
from tests.integration.phone import Phone, jpeg_file, mp4_file
from tests.integration.test_pages_actions import path_for

HEAD = "sergio.nunes@metalvale.com.br"  # the maintenance area's manager


def test_every_action_of_both_roles_lands_on_its_page(
    opened, served, browser, db, smtp_inbox, tmp_path
):
    ticket, links, mail_events, hostile = opened
    assert links["requester"].startswith(served["pages"])
    requester, responsible = Phone(browser), Phone(browser)

    requester.open(links["requester"])
    assert requester.page.locator("h1").text_content() == hostile  # shown as text, never run
    body = requester.page.text_content("main")
    assert "Alarme 2001 no fuso; a linha Usinagem 1 está parada." in body  # the description
    assert "Linha de produção" in body  # the capture format's answers, labelled
    assert "Usinagem 1" in body  # a choice, by its label
    assert "Máquina parada" in body
    assert "CNC-01 — Centro de usinagem" in body  # an asset, by tag and name
    requester.fill("information", "Foto do painel e vídeo do ruído.")
    assert requester.attach("information", [jpeg_file(tmp_path), mp4_file(tmp_path)]) == [
        "accepted",
        "accepted",
    ]
    assert "Informações enviadas ao responsável" in requester.submit("information")
    assert requester.page.locator("img.evidence").count() == 1
    assert requester.page.locator("video.evidence").count() == 1
    thumb = requester.page.locator("img.evidence").evaluate("img => img.naturalWidth")
    assert thumb == 640  # the thumbnail, loaded from the bucket through a signed link
    requester.fill("status-request", "Alguma previsão?")
    assert "Pedido enviado" in requester.submit("status-request")

    responsible.open(links["responsible"])
    history = responsible.page.text_content("ol.timeline")
    assert "Informações do solicitante" in history
    assert "por Lucas Oliveira" in history  # who wrote it
    assert "Atendimento iniciado" in responsible.submit("acknowledge")
    responsible.fill("status", "Peça a caminho; previsão 14h.")
    assert "Andamento enviado" in responsible.submit("status")
    responsible.fill("respond", "Rolamento do fuso com folga; troca às 14h.")
    assert responsible.attach("respond", [jpeg_file(tmp_path)]) == ["accepted"]
    assert "Resposta enviada" in responsible.submit("respond")
    responsible.fill("wait", "Qual o número de série do motor?")
    assert "Aguardando o solicitante" in responsible.submit("wait")
    assert "pausado" in responsible.page.text_content("dl")  # the resolution clock stops
    assert "Atendimento retomado" in responsible.submit("resume")
    responsible.fill("wait", "Mande uma foto da plaqueta.")
    responsible.submit("wait")

    requester.open(links["requester"])
    requester.fill("information", "Plaqueta: SN 4471-B.")
    assert "Informações enviadas" in requester.submit("information")

    responsible.open(links["responsible"])
    responsible.page.select_option('form[action$="/cost"] select[name=category]', "labour")
    responsible.fill("cost", "Troca do rolamento", "input[name=description]")
    responsible.fill("cost", "2,5", "input[name=hours]")
    responsible.fill("cost", "120,00", "input[name=rate]")
    assert "Despesa registrada" in responsible.submit("cost")
    main = responsible.page.text_content("main").replace("\xa0", " ")
    assert "R$ 300,00" in main
    assert "2,5 h × R$ 120,00" in main  # a labour line shows its working
    responsible.page.select_option('form[action$="/cost"] select[name=category]', "parts")
    responsible.fill("cost", "Rolamento 6205", "input[name=description]")
    responsible.fill("cost", "1.250,90", "input[name=amount]")
    assert "Despesa registrada" in responsible.submit("cost")
    responsible.fill("correct-cost", "-10", "input[name=amount]")
    assert "«-10» é negativo" in responsible.submit("correct-cost")
    kept = responsible.page.locator('form[action$="/correct-cost"] input[name=amount]').last
    assert kept.input_value() == "-10"  # what was typed stays, in its line's form
    responsible.fill("correct-cost", "1.200,00", "input[name=amount]")
    assert "Valor corrigido" in responsible.submit("correct-cost")
    responsible.fill("loss", "Refugo de 40 peças", "input[name=manual_reason]")
    responsible.fill("loss", "3.400,00", "input[name=manual_amount]")
    responsible.page.check('form[action$="/loss"] input[value=manual]')
    assert "Perda financeira registrada" in responsible.submit("loss")
    # The form shows the loss as recorded: changing one field keeps the others.
    loss_form = 'form[action$="/loss"] input'
    assert responsible.page.input_value(f"{loss_form}[name=manual_amount]") == "3.400,00"
    assert responsible.page.input_value(f"{loss_form}[name=manual_reason]") == "Refugo de 40 peças"
    timeline = responsible.page.text_content("ol.timeline")
    for label in ("Despesa registrada", "Despesa corrigida", "Perda financeira registrada"):
        assert label in timeline
    assert "cost_added" not in timeline
    assert "loss_recorded" not in timeline
    responsible.fill("resolve", "Rolamento trocado e máquina testada.")
    assert "Chamado resolvido" in responsible.submit("resolve")

    requester.open(links["requester"])
    requester.fill("reopen", "Voltou a fazer ruído.")
    assert "Chamado reaberto" in requester.submit("reopen")
    responsible.open(links["responsible"])
    responsible.fill("resolve", "Folga do acoplamento ajustada.")
    responsible.submit("resolve")
    # A late invoice after the resolution: the costs stay open to the responsible.
    responsible.page.select_option(
        'form[action$="/cost"] select[name=category]', "external_service"
    )
    responsible.fill("cost", "Balanceamento (nota fiscal 5521)", "input[name=description]")
    responsible.fill("cost", "480", "input[name=amount]")
    assert "Despesa registrada" in responsible.submit("cost")

    requester.open(links["requester"])
    assert "encerrado" in requester.submit("confirm")
    assert requester.page.locator('form[action$="/rate"] input[name=score]:checked').count() == 0
    requester.page.check('form[action$="/rate"] input[name=score][value="5"]')
    requester.fill("rate", "Rápido e bem explicado")
    assert "Obrigado pela avaliação" in requester.submit("rate")
    assert "Avaliação: 5/5" in requester.page.content()

    # every action of the two roles once (a head's comment and the details a ticket by e-mail
    # lacked, the watchers and the cancel: the tests below)
    others = {"comment", "details", "policy", "transfer", "cancel", "watch", "unwatch"}
    assert set(requester.taken) | set(responsible.taken) == set(ACTIONS) - others
    assert requester.dialogs + responsible.dialogs == []  # no script ever ran
    assert requester.server_errors() + responsible.server_errors() == []
    stored = FirestoreTickets(db).get(ticket["id"])
    assert (stored.status, stored.rating.score) == ("closed", 5)
    assert stored.cost_cents == {"BRL": 30000 + 120000 + 48000}
    assert stored.loss_cents == 340000
    events = [e.type for e in FirestoreTickets(db).events(ticket["id"])]
    assert events[:3] == ["created", "assigned", "information_added"]
    assert events[-2:] == ["closed", "rated"]
    information = FirestoreTickets(db).events(ticket["id"])[2]
    kinds = sorted(item["content_type"] for item in information.data["evidence"])
    assert kinds == ["image/jpeg", "video/mp4"]
    # The requester is told of the response and the resolution, in the same thread.
    mail_events()
    subjects = [m["Subject"] for m in smtp_inbox.to(REQUESTER)]
    assert any("Nova resposta" in s for s in subjects)
    assert any("foi resolvido" in s for s in subjects)


def test_refusals_say_what_is_wrong_and_keep_what_was_typed(opened, browser, tmp_path):
    _, links, _, _ = opened
    responsible = Phone(browser)
    responsible.open(links["responsible"])
    responsible.fill("loss", "2099-01-01T10:00", "input[name=restored_at]")
    notice = responsible.submit("loss")
    assert "não pode ter sido restabelecido no futuro" in notice
    assert responsible.page.input_value('form[action$="/loss"] input[name=restored_at]') == (
        "2099-01-01T10:00"
    )
    responsible.fill("cost", "Peças diversas", "input[name=description]")
    responsible.fill("cost", "doze reais", "input[name=amount]")
    notice = responsible.submit("cost")
    assert "«doze reais» não é um valor válido" in notice
    assert responsible.page.input_value('form[action$="/cost"] input[name=description]') == (
        "Peças diversas"
    )
    # A file that is not what its name says: refused on the page, in Portuguese, and the
    # response waits until it is removed.
    # A refused action keeps the files already accepted, as it keeps the text.
    responsible.fill("respond", "   ")
    assert responsible.attach("respond", [jpeg_file(tmp_path)]) == ["accepted"]
    assert "Preencha «Responder ao solicitante»" in responsible.submit("respond")
    kept = responsible.page.eval_on_selector_all(
        'form[action$="/respond"] ul.uploads li', "items => items.map(i => i.dataset.state)"
    )
    assert kept == ["accepted"]
    responsible.fill("respond", "Segue a foto do painel.")
    assert "Resposta enviada" in responsible.submit("respond")
    assert responsible.page.locator("img.evidence").count() == 1
    fake = tmp_path / "foto.jpg"
    fake.write_bytes(b"isto nao e uma foto" * 100)
    responsible.fill("respond", "Segue a foto.")
    assert responsible.attach("respond", [str(fake)]) == ["refused"]
    item = responsible.page.text_content('form[action$="/respond"] ul.uploads li')
    assert "não é uma foto" in item
    button = responsible.page.locator('form[action$="/respond"] button[type=submit]')
    assert button.is_disabled()
    responsible.page.click('form[action$="/respond"] ul.uploads li button.remove')
    assert not button.is_disabled()
    assert responsible.server_errors() == []


def test_a_long_word_wraps_on_a_phone(opened, browser, intake, db, smtp_inbox):
    _, links, _, _ = opened
    # In the e-mails too: a title of one long word stays on a phone's screen.
    word = "Compressor" + "x" * 150
    long = post_ticket(intake, incident(submission_id="long-title", title=word)).json
    notifications = make_client("notifications")
    for path in event_paths(db, long["id"]):
        deliver_event(notifications, db, path)
    reader = Phone(browser)
    for message in smtp_inbox.messages:
        reader.page.set_content(message.get_body(("html",)).get_content())
        assert reader.page.evaluate("document.documentElement.scrollWidth") <= 390
    requester = Phone(browser)
    requester.open(links["requester"])
    requester.fill("information", "x" * 4900)
    requester.submit("information")
    width = requester.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    # The page names its icon (functions-framework answers 404 to /favicon.ico itself), and
    # no request of the page, the icon's included, failed.
    icon = requester.page.evaluate("document.querySelector('link[rel=icon]').href")
    answer = requester.page.request.get(icon)
    assert (answer.status, answer.headers["content-type"]) == (200, "image/x-icon")
    assert [status for status, _ in requester.statuses if status >= 400] == []


def test_a_head_comments_and_a_requester_completes_a_mailed_tickets_details(
    opened, served, browser, db
):
    import os
    from datetime import timedelta

    from shared.bootstrap import services
    from shared.intake.schema import Submission
    from shared.intake.service import open_ticket
    from shared.links import LinkSigner

    ticket, _, _, _ = opened
    signer = LinkSigner(os.environ["HELPDESK_LINK_SECRET"], served["pages"], timedelta(days=14))
    head = Phone(browser)
    head.open(signer.url(ticket["id"], HEAD, "manager"))
    head.fill("comment", "Priorizem esta linha: pedido de exportação amanhã.")
    assert "Comentário registrado" in head.submit("comment")
    assert "Comentário" in head.page.text_content("ol.timeline")
    # the area's manager moves the ticket to another agreement, its deadlines recomputed
    head.page.select_option('form[action$="/policy"] select[name=policy]', "inc-degradacao")
    head.fill("policy", "A linha voltou a rodar em velocidade reduzida.")
    assert "prazos recalculados desde a abertura" in head.submit("policy")
    assert "Alta" in head.page.text_content("main")  # the new priority, shown
    # and hands it to another department: its head receives it
    head.page.select_option(
        'form[action$="/transfer"] select[name=department]', "manutencao-eletrica"
    )
    head.fill("transfer", "Falha no painel elétrico, não mecânica.")
    assert "Chamado transferido" in head.submit("transfer")
    assert "Transferido para Sérgio Nunes" in head.page.text_content("ol.timeline")
    assert "Atribuído a Carlos Mendes" in head.page.text_content("ol.timeline")  # by name still

    base = services()
    mailed = Submission.model_validate(
        {
            "submission_id": "mail-details",
            "source": "email",
            "type": "request",
            "policy": "req-manutencao-preventiva",
            "title": "Lubrificar a prensa 2",
            "description": "Está rangendo no fim do curso.",
            "requester": {"email": REQUESTER},
        }
    )
    pending, _ = open_ticket(
        mailed,
        "email",
        directory=base.directory,
        tickets=base.tickets,
        config=base.config,
        now=base.now,
        missing_allowed=True,
    )
    requester = Phone(browser)
    requester.open(signer.url(pending.id, REQUESTER, "requester"))
    assert "Complete os dados do chamado" in requester.page.text_content("main")
    requester.fill("details", "PRENSA-02", "input[name='field.maquina']")
    requester.fill("details", "Lubrificar o curso do martelo", "textarea[name='field.servico']")
    assert "Dados completados" in requester.submit("details")
    assert "Complete os dados do chamado" not in requester.page.text_content("main")
    assert "Prensa hidráulica" in requester.page.text_content("main")  # the asset, by its name
    assert "Dados completados" in requester.page.text_content("ol.timeline")
    for phone in (head, requester):
        assert not [s for s in phone.statuses if s[0] >= 500]


def test_a_colleague_follows_stops_from_their_email_and_a_duplicate_is_cancelled(
    opened, served, browser, intake, db, smtp_inbox
):
    ticket, links, mail_events, _ = opened
    colleague = "mariana.rocha@metalvale.com.br"
    requester = Phone(browser)
    requester.open(links["requester"])
    requester.fill("watch", "ninguem@metalvale.com.br", "input[name=email]")
    assert "Não há colega ativo com esse e-mail" in requester.submit("watch")
    kept = requester.page.input_value('form[action$="/watch"] input[name=email]')
    assert kept == "ninguem@metalvale.com.br"  # what was typed stays
    requester.fill("watch", colleague, "input[name=email]")
    assert "Colega adicionado" in requester.submit("watch")
    assert "Mariana Rocha" in requester.page.text_content("dl")

    mail_events()
    (told,) = smtp_inbox.to(colleague)
    unwatch = next(
        line.strip()
        for line in told.get_body(("plain",)).get_content().splitlines()
        if line.strip().endswith("#unwatch")
    )
    watcher = Phone(browser)
    watcher.open(unwatch)
    assert "Você acompanha este chamado" in watcher.page.text_content("#unwatch")
    watcher.submit("unwatch")
    assert "deixou de acompanhar este chamado" in watcher.page.text_content("main")

    duplicate = post_ticket(intake, incident(submission_id=f"dup-{uuid.uuid4().hex}")).json
    mail_events()
    again = Phone(browser)
    again.open(served["pages"] + path_for(duplicate["id"], REQUESTER, "requester"))
    again.page.locator("details summary").click()
    again.fill("cancel", ticket["number"], "input[name=original]")
    again.fill("cancel", "Abri o mesmo chamado duas vezes.")
    assert "Chamado cancelado" in again.submit("cancel")
    main = again.page.text_content("main")
    assert "Cancelado" in main
    assert f"{ticket['number']} —" in main  # the original, named
    requester.open(links["requester"])
    assert duplicate["number"] in requester.page.text_content("dl")  # listed on the original
    for person in (requester, watcher, again):
        assert person.server_errors() == []
        assert person.dialogs == []

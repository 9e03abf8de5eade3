"""Texts of the pages, in pt-BR, es and en."""

from __future__ import annotations

from shared.notify import catalog as mail_catalog

TEXTS: dict[str, dict[str, str]] = {
    "title": {"pt-BR": "Chamado {number}", "es": "Ticket {number}", "en": "Ticket {number}"},
    "timeline": {"pt-BR": "Histórico", "es": "Historial", "en": "Timeline"},
    "elapsed": {
        "pt-BR": "{business} úteis · {calendar} corridos",
        "es": "{business} hábiles · {calendar} corridos",
        "en": "{business} business · {calendar} calendar",
    },
    "ask_status": {
        "pt-BR": "Pedir uma atualização ao responsável",
        "es": "Pedir novedades al responsable",
        "en": "Ask the responsible for an update",
    },
    "ask_status_note": {
        "pt-BR": "Mensagem (opcional)",
        "es": "Mensaje (opcional)",
        "en": "Message (optional)",
    },
    "ask_status_button": {"pt-BR": "Enviar pedido", "es": "Enviar pedido", "en": "Send request"},
    "give_status": {
        "pt-BR": "Informar o andamento ao solicitante",
        "es": "Informar el avance al solicitante",
        "en": "Tell the requester how it is going",
    },
    "give_status_button": {"pt-BR": "Enviar andamento", "es": "Enviar avance", "en": "Send update"},
    "status_pending": {
        "pt-BR": "O solicitante pediu uma atualização em {asked}.",
        "es": "El solicitante pidió novedades el {asked}.",
        "en": "The requester asked for an update at {asked}.",
    },
    "done_status_requested": {
        "pt-BR": "Pedido enviado. O responsável foi avisado por e-mail.",
        "es": "Pedido enviado. Se avisó al responsable por correo.",
        "en": "Request sent. The responsible was told by e-mail.",
    },
    "done_status_provided": {
        "pt-BR": "Andamento enviado ao solicitante.",
        "es": "Avance enviado al solicitante.",
        "en": "Update sent to the requester.",
    },
    "too_soon": {
        "pt-BR": "Você já pediu uma atualização em {asked}. Poderá pedir de novo a partir de {next}.",
        "es": "Ya pidió novedades el {asked}. Podrá pedir de nuevo a partir del {next}.",
        "en": "You asked for an update at {asked}. You can ask again from {next}.",
    },
    "not_open": {
        "pt-BR": "Este chamado não está mais aberto.",
        "es": "Este ticket ya no está abierto.",
        "en": "This ticket is no longer open.",
    },
    "text_required": {
        "pt-BR": "Escreva o andamento antes de enviar.",
        "es": "Escriba el avance antes de enviar.",
        "en": "Write the update before sending.",
    },
    "link_expired": {
        "pt-BR": "Este link expirou. Use o link do e-mail mais recente do chamado.",
        "es": "Este enlace expiró. Use el enlace del correo más reciente del ticket.",
        "en": "This link has expired. Use the link in the ticket's latest e-mail.",
    },
    "link_invalid": {
        "pt-BR": "Este link não é válido.",
        "es": "Este enlace no es válido.",
        "en": "This link is not valid.",
    },
    "wrong_role": {
        "pt-BR": "Este link não permite esta ação.",
        "es": "Este enlace no permite esta acción.",
        "en": "This link does not allow this action.",
    },
    "form_expired": {
        "pt-BR": "O formulário expirou. Abra a página de novo e repita.",
        "es": "El formulario expiró. Abra la página de nuevo y repita.",
        "en": "The form has expired. Open the page again and repeat.",
    },
    "back": {"pt-BR": "Voltar ao chamado", "es": "Volver al ticket", "en": "Back to the ticket"},
}


def text(key: str, locale: str, **values: object) -> str:
    """A page text; the labels pages share with the e-mails come from the e-mail catalogue."""
    entry = TEXTS.get(key) or mail_catalog.LABELS[key]
    template = entry.get(locale) or entry["pt-BR"]
    return template.format(**values) if values else template


def negotiate(accept_language: str | None) -> str:
    """The best of pt-BR, es and en for an Accept-Language header (pt-BR by default)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("es"):
            return "es"
        if tag.startswith("en"):
            return "en"
        if tag.startswith("pt"):
            return "pt-BR"
    return "pt-BR"


EVENTS: dict[str, dict[str, str]] = {
    "created": {"pt-BR": "Chamado aberto", "es": "Ticket abierto", "en": "Ticket opened"},
    "assigned": {"pt-BR": "Atribuído", "es": "Asignado", "en": "Assigned"},
    "acknowledged": {
        "pt-BR": "Atendimento iniciado",
        "es": "Atención iniciada",
        "en": "Work started",
    },
    "responded": {"pt-BR": "Resposta", "es": "Respuesta", "en": "Response"},
    "waiting_on_requester": {
        "pt-BR": "Aguardando o solicitante",
        "es": "Esperando al solicitante",
        "en": "Waiting on the requester",
    },
    "information_added": {
        "pt-BR": "Informações do solicitante",
        "es": "Información del solicitante",
        "en": "Information from the requester",
    },
    "status_requested": {
        "pt-BR": "Pedido de atualização",
        "es": "Pedido de novedades",
        "en": "Update requested",
    },
    "status_provided": {
        "pt-BR": "Andamento informado",
        "es": "Avance informado",
        "en": "Update given",
    },
    "warning": {"pt-BR": "Alerta de prazo", "es": "Alerta de plazo", "en": "Deadline warning"},
    "breached": {"pt-BR": "Prazo vencido", "es": "Plazo vencido", "en": "Deadline missed"},
    "escalated": {"pt-BR": "Escalado", "es": "Escalado", "en": "Escalated"},
    "resolved": {"pt-BR": "Resolvido", "es": "Resuelto", "en": "Resolved"},
    "reopened": {"pt-BR": "Reaberto", "es": "Reabierto", "en": "Reopened"},
    "closed": {"pt-BR": "Encerrado", "es": "Cerrado", "en": "Closed"},
    "rated": {"pt-BR": "Avaliação", "es": "Evaluación", "en": "Rating"},
    "resumed": {"pt-BR": "Atendimento retomado", "es": "Atención reanudada", "en": "Work resumed"},
    "policy_changed": {
        "pt-BR": "Acordo alterado",
        "es": "Acuerdo cambiado",
        "en": "Agreement changed",
    },
    "status_request_unanswered": {
        "pt-BR": "Pedido de atualização sem resposta",
        "es": "Pedido de novedades sin respuesta",
        "en": "Update request unanswered",
    },
}

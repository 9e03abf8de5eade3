"""Texts of the pages, in pt-BR, es and en."""

from __future__ import annotations

from shared.notify import catalog as mail_catalog

TEXTS: dict[str, dict[str, str]] = {
    "correct": {"pt-BR": "Corrigir valor", "es": "Corregir monto", "en": "Correct amount"},
    "total_costs": {"pt-BR": "Total de despesas", "es": "Total de gastos", "en": "Total expenses"},
    "add_cost": {"pt-BR": "Registrar despesa", "es": "Registrar gasto", "en": "Record an expense"},
    "description": {"pt-BR": "Descrição", "es": "Descripción", "en": "Description"},
    "amount": {"pt-BR": "Valor", "es": "Monto", "en": "Amount"},
    "hours_rate": {
        "pt-BR": "ou horas × valor da hora",
        "es": "u horas × valor de la hora",
        "en": "or hours × hourly rate",
    },
    "loss": {"pt-BR": "Perda financeira", "es": "Pérdida financiera", "en": "Financial loss"},
    "restored_at": {
        "pt-BR": "Serviço restabelecido em",
        "es": "Servicio restablecido el",
        "en": "Service restored at",
    },
    "manual_amount": {
        "pt-BR": "Ou um valor informado",
        "es": "O un monto informado",
        "en": "Or an amount entered",
    },
    "manual_reason": {
        "pt-BR": "Motivo do valor informado",
        "es": "Motivo del monto informado",
        "en": "Reason for the amount",
    },
    "counts_downtime": {
        "pt-BR": "Vale a parada × taxa de perda do ativo",
        "es": "Vale la parada × tasa de pérdida del activo",
        "en": "Downtime × the asset's loss rate counts",
    },
    "counts_manual": {
        "pt-BR": "Vale o valor informado",
        "es": "Vale el monto informado",
        "en": "The amount entered counts",
    },
    "record_loss": {"pt-BR": "Registrar perda", "es": "Registrar pérdida", "en": "Record the loss"},
    "loss_summary": {
        "pt-BR": "Parada de {hours} × {rate}/h = {downtime} · informado: {manual} · vale: {counted}",
        "es": "Parada de {hours} × {rate}/h = {downtime} · informado: {manual} · vale: {counted}",
        "en": "Downtime {hours} × {rate}/h = {downtime} · entered: {manual} · counts: {counted}",
    },
    "labour": {"pt-BR": "Mão de obra", "es": "Mano de obra", "en": "Labour"},
    "parts": {
        "pt-BR": "Peças e materiais",
        "es": "Piezas y materiales",
        "en": "Parts and materials",
    },
    "external_service": {
        "pt-BR": "Serviço externo",
        "es": "Servicio externo",
        "en": "External service",
    },
    "other": {"pt-BR": "Outros", "es": "Otros", "en": "Other"},
    "done_information": {
        "pt-BR": "Informações enviadas ao responsável.",
        "es": "Información enviada al responsable.",
        "en": "Information sent to the responsible.",
    },
    "done_confirm": {
        "pt-BR": "Obrigado! O chamado foi encerrado.",
        "es": "¡Gracias! El ticket fue cerrado.",
        "en": "Thank you! The ticket is closed.",
    },
    "done_reopen": {
        "pt-BR": "Chamado reaberto; o responsável foi avisado.",
        "es": "Ticket reabierto; se avisó al responsable.",
        "en": "Ticket reopened; the responsible was told.",
    },
    "done_rate": {
        "pt-BR": "Obrigado pela avaliação.",
        "es": "Gracias por la evaluación.",
        "en": "Thank you for the rating.",
    },
    "done_acknowledge": {
        "pt-BR": "Atendimento iniciado; o solicitante foi avisado.",
        "es": "Atención iniciada; se avisó al solicitante.",
        "en": "Work started; the requester was told.",
    },
    "done_respond": {
        "pt-BR": "Resposta enviada ao solicitante.",
        "es": "Respuesta enviada al solicitante.",
        "en": "Response sent to the requester.",
    },
    "done_wait": {
        "pt-BR": "Aguardando o solicitante; o prazo de solução está pausado.",
        "es": "Esperando al solicitante; el plazo de solución está en pausa.",
        "en": "Waiting on the requester; the resolution clock is paused.",
    },
    "done_resume": {
        "pt-BR": "Atendimento retomado; o prazo voltou a correr.",
        "es": "Atención reanudada; el plazo vuelve a correr.",
        "en": "Work resumed; the clock runs again.",
    },
    "done_resolve": {
        "pt-BR": "Chamado resolvido; o solicitante vai confirmar.",
        "es": "Ticket resuelto; el solicitante lo confirmará.",
        "en": "Ticket resolved; the requester will confirm.",
    },
    "not_now": {
        "pt-BR": "Esta ação não é possível na situação atual do chamado.",
        "es": "Esta acción no es posible en el estado actual del ticket.",
        "en": "This action is not possible in the ticket's current state.",
    },
    "files_not_ready": {
        "pt-BR": "Um arquivo ainda não foi verificado ou foi recusado. Envie-o de novo.",
        "es": "Un archivo aún no fue verificado o fue rechazado. Envíelo de nuevo.",
        "en": "A file was not checked yet or was refused. Send it again.",
    },
    "information": {
        "pt-BR": "Acrescentar informações ou evidências",
        "es": "Agregar información o evidencias",
        "en": "Add information or evidence",
    },
    "send": {"pt-BR": "Enviar", "es": "Enviar", "en": "Send"},
    "files": {"pt-BR": "Fotos ou vídeos", "es": "Fotos o videos", "en": "Photos or videos"},
    "uploading": {"pt-BR": "Enviando…", "es": "Enviando…", "en": "Uploading…"},
    "confirm": {
        "pt-BR": "Confirmar a solução e encerrar",
        "es": "Confirmar la solución y cerrar",
        "en": "Confirm the resolution and close",
    },
    "reopen": {
        "pt-BR": "Não resolveu? Reabrir o chamado",
        "es": "¿No se resolvió? Reabrir el ticket",
        "en": "Not solved? Reopen the ticket",
    },
    "reopen_reason": {
        "pt-BR": "O que ainda falta",
        "es": "Qué falta todavía",
        "en": "What is still wrong",
    },
    "rate": {"pt-BR": "Avalie o atendimento", "es": "Evalúe la atención", "en": "Rate the service"},
    "score": {"pt-BR": "Nota (1 a 5)", "es": "Nota (1 a 5)", "en": "Score (1 to 5)"},
    "comment": {
        "pt-BR": "Comentário (opcional)",
        "es": "Comentario (opcional)",
        "en": "Comment (optional)",
    },
    "acknowledge": {
        "pt-BR": "Assumir o atendimento",
        "es": "Tomar la atención",
        "en": "Take on the ticket",
    },
    "respond": {
        "pt-BR": "Responder ao solicitante",
        "es": "Responder al solicitante",
        "en": "Respond to the requester",
    },
    "wait": {
        "pt-BR": "Pedir informações (pausa o prazo)",
        "es": "Pedir información (pausa el plazo)",
        "en": "Ask for information (pauses the clock)",
    },
    "resume": {"pt-BR": "Retomar o atendimento", "es": "Reanudar la atención", "en": "Resume work"},
    "resolve": {
        "pt-BR": "Resolver, com as notas da solução",
        "es": "Resolver, con las notas de la solución",
        "en": "Resolve, with the resolution notes",
    },
    "costs": {
        "pt-BR": "Despesas e perda financeira",
        "es": "Gastos y pérdida financiera",
        "en": "Expenses and financial loss",
    },
    "rated": {
        "pt-BR": "Avaliação: {score}/5",
        "es": "Evaluación: {score}/5",
        "en": "Rating: {score}/5",
    },
    "evidence": {"pt-BR": "Evidências", "es": "Evidencias", "en": "Evidence"},
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
    "done_status_request": {
        "pt-BR": "Pedido enviado. O responsável foi avisado por e-mail.",
        "es": "Pedido enviado. Se avisó al responsable por correo.",
        "en": "Request sent. The responsible was told by e-mail.",
    },
    "done_status": {
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

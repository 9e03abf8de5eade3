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
        "pt-BR": "ou, para mão de obra, horas × valor da hora",
        "es": "o, para mano de obra, horas × valor de la hora",
        "en": "or, for labour, hours × hourly rate",
    },
    "category": {"pt-BR": "Tipo de despesa", "es": "Tipo de gasto", "en": "Kind of expense"},
    "hours": {"pt-BR": "Horas", "es": "Horas", "en": "Hours"},
    "rate_per_hour": {
        "pt-BR": "Valor da hora",
        "es": "Valor de la hora",
        "en": "Hourly rate",
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
    "manual_reason_label": {
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
    "loss_counts": {
        "pt-BR": "Qual valor entra nos relatórios",
        "es": "Qué monto entra en los informes",
        "en": "Which amount the reports count",
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
    "done_cost": {
        "pt-BR": "Despesa registrada.",
        "es": "Gasto registrado.",
        "en": "Expense recorded.",
    },
    "done_correct_cost": {
        "pt-BR": "Valor corrigido; o valor anterior fica no histórico.",
        "es": "Monto corregido; el anterior queda en el historial.",
        "en": "Amount corrected; the previous one stays in the history.",
    },
    "done_loss": {
        "pt-BR": "Perda financeira registrada.",
        "es": "Pérdida financiera registrada.",
        "en": "Financial loss recorded.",
    },
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
    "files": {
        "pt-BR": "Fotos, vídeos ou PDF",
        "es": "Fotos, videos o PDF",
        "en": "Photos, videos or PDFs",
    },
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
    "rating_1": {"pt-BR": "1 — Péssimo", "es": "1 — Pésimo", "en": "1 — Very poor"},
    "rating_2": {"pt-BR": "2 — Ruim", "es": "2 — Malo", "en": "2 — Poor"},
    "rating_3": {"pt-BR": "3 — Regular", "es": "3 — Regular", "en": "3 — Fair"},
    "rating_4": {"pt-BR": "4 — Bom", "es": "4 — Bueno", "en": "4 — Good"},
    "rating_5": {"pt-BR": "5 — Ótimo", "es": "5 — Excelente", "en": "5 — Excellent"},
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
    "required": {
        "pt-BR": "Preencha «{field}» antes de enviar.",
        "es": "Complete «{field}» antes de enviar.",
        "en": "Fill in “{field}” before sending.",
    },
    "too_long": {
        "pt-BR": "«{field}» tem {length} caracteres; o limite é {limit}. Encurte o texto e envie de novo.",
        "es": "«{field}» tiene {length} caracteres; el límite es {limit}. Acorte el texto y envíelo de nuevo.",
        "en": "“{field}” has {length} characters; the limit is {limit}. Shorten it and send again.",
    },
    "bad_amount": {
        "pt-BR": "«{value}» não é um valor válido em «{field}». Escreva, por exemplo, 1.250,90.",
        "es": "«{value}» no es un monto válido en «{field}». Escriba, por ejemplo, 1.250,90.",
        "en": "“{value}” is not a valid amount in “{field}”. Write, for example, 1,250.90.",
    },
    "negative_amount": {
        "pt-BR": "«{value}» é negativo: em «{field}», informe um valor positivo. Para desfazer uma despesa, corrija-a para 0.",
        "es": "«{value}» es negativo: en «{field}», indique un monto positivo. Para anular un gasto, corríjalo a 0.",
        "en": "“{value}” is negative: in “{field}”, enter a positive amount. To undo an expense, correct it to 0.",
    },
    "bad_currency": {
        "pt-BR": "A moeda «{value}» não é usada nesta organização.",
        "es": "La moneda «{value}» no se usa en esta organización.",
        "en": "The currency “{value}” is not used in this organisation.",
    },
    "amount_or_hours": {
        "pt-BR": "Informe o valor ou horas × valor da hora, não os dois.",
        "es": "Indique el monto u horas × valor de la hora, no ambos.",
        "en": "Enter the amount or hours × rate, not both.",
    },
    "hours_times_rate": {
        "pt-BR": "{hours} h × {rate}",
        "es": "{hours} h × {rate}",
        "en": "{hours} h × {rate}",
    },
    "bad_score": {
        "pt-BR": "Escolha uma nota de 1 a 5.",
        "es": "Elija una nota de 1 a 5.",
        "en": "Choose a score from 1 to 5.",
    },
    "bad_time": {
        "pt-BR": "«{field}» não é uma data e hora válida.",
        "es": "«{field}» no es una fecha y hora válida.",
        "en": "“{field}” is not a valid date and time.",
    },
    "bad_cost": {
        "pt-BR": "Confira «{field}»: a despesa não pôde ser registrada assim.",
        "es": "Revise «{field}»: el gasto no pudo registrarse así.",
        "en": "Check “{field}”: the expense cannot be recorded like this.",
    },
    "hours_labour_only": {
        "pt-BR": "Horas × valor da hora valem só para mão de obra. Escolha «Mão de obra» ou informe o valor.",
        "es": "Horas × valor de la hora valen solo para mano de obra. Elija «Mano de obra» o indique el monto.",
        "en": "Hours × rate are for labour only. Choose “Labour” or enter the amount.",
    },
    "restored_future": {
        "pt-BR": "O serviço não pode ter sido restabelecido no futuro. Informe quando ele voltou.",
        "es": "El servicio no puede haberse restablecido en el futuro. Indique cuándo volvió.",
        "en": "Service cannot have been restored in the future. Give the time it came back.",
    },
    "restored_before_start": {
        "pt-BR": "O serviço não pode ter sido restabelecido antes do início do chamado ({start}).",
        "es": "El servicio no puede haberse restablecido antes del inicio del ticket ({start}).",
        "en": "Service cannot have been restored before the ticket started ({start}).",
    },
    "loss_no_asset": {
        "pt-BR": "Este chamado não tem ativo: informe a perda como um valor, com o motivo.",
        "es": "Este ticket no tiene activo: indique la pérdida como un monto, con el motivo.",
        "en": "This ticket has no asset: enter the loss as an amount, with its reason.",
    },
    "manual_reason": {
        "pt-BR": "Diga o motivo do valor informado.",
        "es": "Indique el motivo del monto informado.",
        "en": "Give the reason for the amount entered.",
    },
    "loss_empty": {
        "pt-BR": "Informe quando o serviço foi restabelecido ou um valor de perda.",
        "es": "Indique cuándo se restableció el servicio o un monto de pérdida.",
        "en": "Give the time service was restored or an amount of loss.",
    },
    "costs_closed": {
        "pt-BR": "As despesas deste chamado não podem mais ser alteradas.",
        "es": "Los gastos de este ticket ya no pueden modificarse.",
        "en": "This ticket's expenses can no longer be changed.",
    },
    "line_superseded": {
        "pt-BR": "Esta despesa já foi corrigida; corrija o valor atual.",
        "es": "Este gasto ya fue corregido; corrija el monto actual.",
        "en": "This expense was corrected already; correct the current amount.",
    },
    "unknown_action": {
        "pt-BR": "Esta ação não existe.",
        "es": "Esta acción no existe.",
        "en": "There is no such action.",
    },
    "method_not_allowed": {
        "pt-BR": "Esta página só pode ser aberta, não enviada.",
        "es": "Esta página solo puede abrirse, no enviarse.",
        "en": "This page can only be opened, not sent.",
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
    "link_person_inactive": {
        "pt-BR": "Este link não vale mais: a pessoa a quem foi enviado não está ativa na organização.",
        "es": "Este enlace ya no vale: la persona a quien se envió no está activa en la organización.",
        "en": "This link is no longer valid: the person it was sent to is not active in the organisation.",
    },
    "link_role_gone": {
        "pt-BR": "Este link não vale mais: o chamado passou para outra pessoa.",
        "es": "Este enlace ya no vale: el ticket pasó a otra persona.",
        "en": "This link is no longer valid: the ticket has passed to someone else.",
    },
    "wrong_role": {
        "pt-BR": "Este link não permite esta ação.",
        "es": "Este enlace no permite esta acción.",
        "en": "This link does not allow this action.",
    },
    "form_expired": {
        "pt-BR": "O formulário ficou aberto por mais de 2 horas e expirou. O que você escreveu está abaixo: envie de novo.",
        "es": "El formulario estuvo abierto más de 2 horas y expiró. Lo que escribió está abajo: envíelo de nuevo.",
        "en": "The form was open for over 2 hours and expired. What you wrote is below: send it again.",
    },
    "form_missing": {
        "pt-BR": "O formulário chegou incompleto (sem a chave de segurança). O que você escreveu está abaixo: envie de novo.",
        "es": "El formulario llegó incompleto (sin la clave de seguridad). Lo que escribió está abajo: envíelo de nuevo.",
        "en": "The form arrived incomplete (without its security key). What you wrote is below: send it again.",
    },
    "form_forged": {
        "pt-BR": "A chave de segurança do formulário não é válida. O que você escreveu está abaixo: envie de novo.",
        "es": "La clave de seguridad del formulario no es válida. Lo que escribió está abajo: envíelo de nuevo.",
        "en": "The form's security key is not valid. What you wrote is below: send it again.",
    },
    "form_other_link": {
        "pt-BR": "Este formulário é de outra página (outro chamado ou outro link). O que você escreveu está abaixo: envie por esta página.",
        "es": "Este formulario es de otra página (otro ticket u otro enlace). Lo que escribió está abajo: envíelo desde esta página.",
        "en": "This form belongs to another page (another ticket or link). What you wrote is below: send it from this page.",
    },
    "form_other_action": {
        "pt-BR": "Este formulário era de outra ação. O que você escreveu está abaixo: envie pelo formulário certo.",
        "es": "Este formulario era de otra acción. Lo que escribió está abajo: envíelo por el formulario correcto.",
        "en": "This form was for another action. What you wrote is below: send it with the right form.",
    },
    "back": {"pt-BR": "Voltar ao chamado", "es": "Volver al ticket", "en": "Back to the ticket"},
    "by": {"pt-BR": "por {name}", "es": "por {name}", "en": "by {name}"},
    "files_used": {
        "pt-BR": "Estes arquivos já foram enviados em outra entrada do histórico. Escolha-os de novo para enviá-los aqui.",
        "es": "Estos archivos ya se enviaron en otra entrada del historial. Elíjalos de nuevo para enviarlos aquí.",
        "en": "These files were already sent with another entry. Choose them again to send them here.",
    },
    "older_entries": {
        "pt-BR": "Ver entradas anteriores",
        "es": "Ver entradas anteriores",
        "en": "See earlier entries",
    },
    "information_too_often": {
        "pt-BR": "Você já enviou {count} informações na última hora. Poderá enviar de novo a partir de {next}; o que você escreveu está abaixo.",
        "es": "Ya envió {count} informaciones en la última hora. Podrá enviar de nuevo a partir del {next}; lo que escribió está abajo.",
        "en": "You sent {count} updates in the last hour. You can send again from {next}; what you wrote is below.",
    },
    "assigned_to": {
        "pt-BR": "Atribuído a {name}",
        "es": "Asignado a {name}",
        "en": "Assigned to {name}",
    },
    "warning_detail": {
        "pt-BR": "{percent}% do prazo de {milestone} consumido; vence em {due}",
        "es": "{percent}% del plazo de {milestone} consumido; vence el {due}",
        "en": "{percent}% of the {milestone} time used; due {due}",
    },
    "breached_detail": {
        "pt-BR": "O prazo de {milestone} venceu em {due}",
        "es": "El plazo de {milestone} venció el {due}",
        "en": "The {milestone} deadline passed at {due}",
    },
    "escalated_detail": {"pt-BR": "Nível {level}", "es": "Nivel {level}", "en": "Level {level}"},
    "cost_corrected_detail": {
        "pt-BR": "{description}: {old} → {new}",
        "es": "{description}: {old} → {new}",
        "en": "{description}: {old} → {new}",
    },
    "loss_detail": {"pt-BR": "Vale {amount}", "es": "Vale {amount}", "en": "Counts {amount}"},
    "breach_response": {
        "pt-BR": "Prazo de primeira resposta vencido em {due}",
        "es": "Plazo de primera respuesta vencido el {due}",
        "en": "First response deadline missed at {due}",
    },
    "breach_resolution": {
        "pt-BR": "Prazo de solução vencido em {due}",
        "es": "Plazo de solución vencido el {due}",
        "en": "Resolution deadline missed at {due}",
    },
    "at_risk": {
        "pt-BR": "Em risco: boa parte do prazo já foi consumida",
        "es": "En riesgo: buena parte del plazo ya se consumió",
        "en": "At risk: much of the time allowed is used",
    },
    "choose": {"pt-BR": "Escolha", "es": "Elija", "en": "Choose"},
    "upload_accepted": {"pt-BR": "pronto", "es": "listo", "en": "ready"},
    "upload_remove": {"pt-BR": "Remover", "es": "Quitar", "en": "Remove"},
    "upload_failed": {
        "pt-BR": "não foi aceito. Remova-o para enviar o restante.",
        "es": "no fue aceptado. Quítelo para enviar el resto.",
        "en": "was not accepted. Remove it to send the rest.",
    },
    "unavailable": {
        "pt-BR": "A central de atendimento está indisponível por um instante. Se você enviou um formulário, ele não foi registrado: volte e envie de novo em alguns segundos.",
        "es": "La mesa de ayuda no está disponible por un momento. Si envió un formulario, no se registró: vuelva y envíelo de nuevo en unos segundos.",
        "en": "The help desk is unavailable for a moment. If you sent a form, it was not recorded: go back and send it again in a few seconds.",
    },
    "request_refused": {
        "pt-BR": "Este pedido não pôde ser atendido. Volte ao link do e-mail e tente de novo.",
        "es": "Esta solicitud no pudo atenderse. Vuelva al enlace del correo e inténtelo de nuevo.",
        "en": "This request could not be served. Go back to the link in the e-mail and try again.",
    },
    "upload_queued": {"pt-BR": "na fila", "es": "en cola", "en": "waiting its turn"},
    "upload_progress": {
        "pt-BR": "{percent}% enviado",
        "es": "{percent}% enviado",
        "en": "{percent}% sent",
    },
    "upload_left_seconds": {"pt-BR": "faltam {n} s", "es": "quedan {n} s", "en": "{n} s left"},
    "upload_left_minutes": {
        "pt-BR": "faltam {n} min",
        "es": "quedan {n} min",
        "en": "{n} min left",
    },
    "upload_left_hours": {
        "pt-BR": "faltam cerca de {n} h",
        "es": "quedan unas {n} h",
        "en": "about {n} h left",
    },
    "upload_resuming": {
        "pt-BR": "retomando de onde parou ({percent}%)",
        "es": "reanudando desde donde quedó ({percent}%)",
        "en": "resuming where it stopped ({percent}%)",
    },
    "upload_waiting_signal": {
        "pt-BR": "a conexão caiu em {percent}%: tentando de novo, sem perder o que já foi enviado…",
        "es": "la conexión se cortó en {percent}%: reintentando, sin perder lo ya enviado…",
        "en": "the connection dropped at {percent}%: trying again, keeping what was sent…",
    },
    "upload_stalled": {
        "pt-BR": "o envio parou em {percent}% (sem conexão). Toque em “Tentar de novo” quando tiver sinal: ele continua de onde parou.",
        "es": "el envío se detuvo en {percent}% (sin conexión). Toque «Reintentar» cuando tenga señal: continúa desde donde quedó.",
        "en": "the upload stopped at {percent}% (no connection). Tap “Try again” when you have a signal: it carries on where it stopped.",
    },
    "upload_retry": {"pt-BR": "Tentar de novo", "es": "Reintentar", "en": "Try again"},
    "upload_checking": {
        "pt-BR": "verificando o arquivo…",
        "es": "verificando el archivo…",
        "en": "checking the file…",
    },
    "upload_unfinished": {
        "pt-BR": "O envio de {name} não terminou. Escolha o mesmo arquivo para continuar de onde parou.",
        "es": "El envío de {name} no terminó. Elija el mismo archivo para continuar desde donde quedó.",
        "en": "The upload of {name} did not finish. Choose the same file to carry on where it stopped.",
    },
    "upload_remove_to_send": {
        "pt-BR": "Remova-o para enviar o restante.",
        "es": "Quítelo para enviar el resto.",
        "en": "Remove it to send the rest.",
    },
    "upload_type": {
        "pt-BR": "não é uma foto (JPEG, PNG, WebP, HEIC), um vídeo (MP4, MOV, WebM) nem um PDF.",
        "es": "no es una foto (JPEG, PNG, WebP, HEIC), un video (MP4, MOV, WebM) ni un PDF.",
        "en": "is not a photo (JPEG, PNG, WebP, HEIC), a video (MP4, MOV, WebM) or a PDF.",
    },
    "upload_too_large": {
        "pt-BR": "é grande demais (fotos até {image} MB, vídeos até {video} MB, PDF até {document} MB).",
        "es": "es demasiado grande (fotos hasta {image} MB, videos hasta {video} MB, PDF hasta {document} MB).",
        "en": "is too large (photos up to {image} MB, videos up to {video} MB, PDFs up to {document} MB).",
    },
    "upload_quota": {
        "pt-BR": "passou do limite de arquivos (deste chamado ou do seu dia). Fale com o responsável.",
        "es": "superó el límite de archivos (de este ticket o de su día). Hable con el responsable.",
        "en": "is over the file limit (of this ticket or of your day). Talk to the responsible.",
    },
    "upload_ticket_closed": {
        "pt-BR": "não pode ser enviado: o chamado está encerrado.",
        "es": "no puede enviarse: el ticket está cerrado.",
        "en": "cannot be sent: the ticket is closed.",
    },
    "upload_expired": {
        "pt-BR": "demorou mais de um dia para chegar. Remova e envie de novo.",
        "es": "tardó más de un día en llegar. Quítelo y envíelo de nuevo.",
        "en": "took over a day to arrive. Remove it and send it again.",
    },
    "upload_too_many_pixels": {
        "pt-BR": "tem pixels demais para uma foto (até 50 megapixels).",
        "es": "tiene demasiados píxeles para una foto (hasta 50 megapíxeles).",
        "en": "has too many pixels for a photo (up to 50 megapixels).",
    },
    "upload_unreadable": {
        "pt-BR": "não pôde ser lido como imagem.",
        "es": "no pudo leerse como imagen.",
        "en": "cannot be read as an image.",
    },
    "upload_empty": {"pt-BR": "está vazio.", "es": "está vacío.", "en": "is empty."},
    "upload_size_mismatch": {
        "pt-BR": "chegou incompleto. Remova e envie de novo.",
        "es": "llegó incompleto. Quítelo y envíelo de nuevo.",
        "en": "arrived incomplete. Remove it and send it again.",
    },
    "upload_not_uploaded": {
        "pt-BR": "não chegou. Remova e envie de novo.",
        "es": "no llegó. Quítelo y envíelo de nuevo.",
        "en": "did not arrive. Remove it and send it again.",
    },
    "upload_filename": {
        "pt-BR": "tem um nome que não pode ser usado. Renomeie o arquivo.",
        "es": "tiene un nombre que no puede usarse. Cambie el nombre del archivo.",
        "en": "has a name that cannot be used. Rename the file.",
    },
    "upload_closed": {
        "pt-BR": "não pode ser enviado por este link: ele expirou ou não vale mais para você. Abra o link do e-mail mais recente.",
        "es": "no puede enviarse con este enlace: expiró o ya no es válido para usted. Abra el enlace del correo más reciente.",
        "en": "cannot be sent with this link: it has expired or is no longer yours. Open the link in the latest e-mail.",
    },
}

# Each form field, by the words its form shows (for refusals that name a field).
FIELDS: dict[str, str] = {
    "note": "ask_status_note",
    "comment": "comment",
    "reason": "reopen_reason",
    "description": "description",
    "amount": "amount",
    "hours": "hours",
    "rate": "rate_per_hour",
    "manual_amount": "manual_amount",
    "manual_reason": "manual_reason_label",
    "restored_at": "restored_at",
    "score": "score",
    "uploads": "files",
    "category": "category",
    "currency": "amount",
}
# The text field of each action is named by its form's title.
ACTION_TEXTS: dict[str, str] = {
    "information": "information",
    "status": "give_status",
    "respond": "respond",
    "wait": "wait",
    "resolve": "resolve",
}


def field_label(field: str, action: str | None, locale: str) -> str:
    """The words the page shows for a field (the text field: its form's title)."""
    if field == "text" and action in ACTION_TEXTS:
        return text(ACTION_TEXTS[action], locale)
    if field == "amount" and action == "correct-cost":
        return text("correct", locale)
    return text(FIELDS.get(field, field), locale) if field in FIELDS else field


def event_label(event_type: str, locale: str) -> str:
    return EVENTS[event_type].get(locale) or EVENTS[event_type]["pt-BR"]


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
    "cost_added": {
        "pt-BR": "Despesa registrada",
        "es": "Gasto registrado",
        "en": "Expense recorded",
    },
    "cost_corrected": {
        "pt-BR": "Despesa corrigida",
        "es": "Gasto corregido",
        "en": "Expense corrected",
    },
    "loss_recorded": {
        "pt-BR": "Perda financeira registrada",
        "es": "Pérdida financiera registrada",
        "en": "Financial loss recorded",
    },
}
